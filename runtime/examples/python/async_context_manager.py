"""async_context_manager: `async with` on an asynchronous file, blocking I/O in asyncio.to_thread.

The Python original of ../async_context_manager.cpp. AsyncFile.open(), read() and aclose()
run the blocking open(2), read(2) and close(2) on the default executor's threads through
asyncio.to_thread, so the loop thread stays free. __aexit__ awaits aclose() after success and
after the body raises (the exception then propagates, since __aexit__ returns None); if
opening fails there is no AsyncFile, so nothing is closed.

Prints ../expected/python/async_context_manager.txt, which differs from the C++ example's
../expected/async_context_manager.txt only in the first line: Python's statement is
`async with`, corio's function is async_with. The behaviour is the same.
"""

import asyncio
import errno
import os
import tempfile
from types import TracebackType
from typing import BinaryIO, Self


class AsyncFile:
    """A file opened for reading in binary mode, with an asynchronous interface."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file

    @classmethod
    async def open(cls, path: str) -> Self:
        return cls(await asyncio.to_thread(open, path, "rb"))

    async def read(self) -> bytes:
        return await asyncio.to_thread(self._file.read)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._file.close)
        print("  closed")

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


async def main(path: str) -> None:
    print("read through async with:")
    async with await AsyncFile.open(path) as f:
        print("  body: reading")
        data = await f.read()
    first_line = data.decode().split("\n", 1)[0]
    print(f"  got {len(data)} bytes: {first_line} ...")

    print("the body throws:")
    try:
        async with await AsyncFile.open(path) as f:
            content = await f.read()
            raise RuntimeError(f"body failed after reading {len(content)} bytes")
    except RuntimeError as e:
        print(f"  caught after aclose: {e}")

    print("opening fails:")
    try:
        async with await AsyncFile.open(path + ".missing"):
            pass
    except OSError as e:
        missing = e.errno == errno.ENOENT
        print(f"  open raised {'ENOENT' if missing else e}; nothing to close")


if __name__ == "__main__":
    # A uniquely named file in the temporary directory, removed with its directory at the end.
    with tempfile.TemporaryDirectory(prefix="corio_async_context_manager_") as directory:
        path = os.path.join(directory, "example.txt")
        with open(path, "wb") as out:
            out.write(b"first line\nsecond line\n")
        asyncio.run(main(path))
