"""runtime/spawn in asyncio: ``await asyncio.create_task(child(i))``, one child at a time.

The same shape as corio.cpp: the parent creates a task for each child and awaits it before
the next, summing what the children return (0 + 1 + ... + tasks-1), so a skipped spawn or
join fails the check.
"""

import asyncio

from model_protocol import serve_asyncio


async def child(index: int) -> int:
    return index


async def main(params: dict) -> dict:
    joined = total = 0
    for i in range(params["tasks"]):
        total += await asyncio.create_task(child(i))
        joined += 1
    return {"joined": joined, "sum": total}


if __name__ == "__main__":
    serve_asyncio(main)
