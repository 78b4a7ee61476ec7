"""A fake model for external_model_test.cpp: sums 1..n right."""
from model_protocol import serve

serve(lambda params: {"sum": sum(range(1, params["n"] + 1))})
