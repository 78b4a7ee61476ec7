"""runtime/skynet in asyncio: every inner node awaits ``asyncio.gather`` over its 10 children.

The same shape as corio.cpp: ``node(num, size)`` returns num at a leaf, else gathers the 10
children covering its range and returns the sum of their results. gather wraps each child in
a Task (CPython 3.11 starts none eagerly), so all 1.1 nodes per leaf are real asyncio tasks,
spawned and joined: the skynet benchmark as asyncio users write it.
"""

import asyncio

from model_protocol import serve_asyncio

FAN_OUT = 10  # params.hpp's kFanOut


async def node(num: int, size: int) -> int:
    if size == 1:
        return num
    child_size = size // FAN_OUT
    sums = await asyncio.gather(*[node(num + i * child_size, child_size) for i in range(FAN_OUT)])
    return sum(sums)


async def main(params: dict) -> dict:
    return {"sum": await node(0, params["leaves"])}


if __name__ == "__main__":
    serve_asyncio(main)
