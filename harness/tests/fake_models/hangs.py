"""A fake model for external_model_test.cpp: the work never returns."""
import time

from model_protocol import serve


def work(params):
    time.sleep(3600)


serve(work)
