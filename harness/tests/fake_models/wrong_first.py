"""A fake model for external_model_test.cpp: a wrong sum on its first call only, right after
(a model that is wrong while cold): only a check of that first call sees it."""
from model_protocol import serve

calls = 0


def work(params):
    global calls
    calls += 1
    right = sum(range(1, params["n"] + 1))
    return {"sum": right + 1 if calls == 1 else right}


serve(work)
