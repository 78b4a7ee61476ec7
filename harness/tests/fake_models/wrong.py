"""A fake model for external_model_test.cpp: a wrong sum, which the workload's check catches."""
from model_protocol import serve

serve(lambda params: {"sum": params["n"]})
