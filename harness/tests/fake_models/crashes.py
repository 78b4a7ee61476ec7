"""A fake model for external_model_test.cpp: the interpreter dies in the work (as a crashing C
extension would), after saying something on stderr."""
import os
import signal
import sys

from model_protocol import serve


def work(params):
    print("about to crash", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGSEGV)


serve(work)
