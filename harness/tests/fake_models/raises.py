"""A fake model for external_model_test.cpp: the work raises a Python exception."""
from model_protocol import serve


def work(params):
    raise ValueError(f"no sum of {params['n']} today")


serve(work)
