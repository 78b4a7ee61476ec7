"""runtime/gather in asyncio: each round ``await asyncio.gather(*children)``.

The same shape as corio.cpp: a round makes ``children`` coroutines, child i returning i, and
awaits ``asyncio.gather`` over them, which wraps each in a Task (scheduled, not started: CPython
3.11 has no eager task start), runs them all on the loop's next turns and returns their
results in order; ``rounds`` rounds one after the other, every result summed, so a dropped
child or round fails the check.
"""

import asyncio

from model_protocol import serve_asyncio


async def child(index: int) -> int:
    return index


async def main(params: dict) -> dict:
    children = params["children"]
    completed = total = 0
    for _ in range(params["rounds"]):
        values = await asyncio.gather(*[child(i) for i in range(children)])
        total += sum(values)
        completed += len(values)
    return {"completed": completed, "sum": total}


if __name__ == "__main__":
    serve_asyncio(main)
