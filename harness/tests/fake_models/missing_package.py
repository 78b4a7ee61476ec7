"""A fake model for external_model_test.cpp: needs a package that is not installed."""
from model_protocol import import_or_explain, serve

import_or_explain("corio_no_such_module")
serve(lambda params: {"sum": 0})
