"""io/http_fanout on uvloop: py_asyncio.py's code (aiohttp); only the event loop differs."""

from model_protocol import serve_asyncio
from py_asyncio import main

if __name__ == "__main__":
    serve_asyncio(main, loop="uvloop")
