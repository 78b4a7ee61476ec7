"""A fake model for external_model_test.cpp: something writes to the real stdout (as a C library
might), where the JSON reply belongs."""
import os

from model_protocol import serve


def work(params):
    os.write(1, b"hello from a library\n")
    return {"sum": 55}


serve(work)
