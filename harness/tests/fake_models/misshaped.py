"""A fake model for external_model_test.cpp: a result without the workload's fields."""
from model_protocol import serve

serve(lambda params: {"total": 55})
