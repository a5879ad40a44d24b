"""Fetching a file once, from the first of several mirrors that delivers it intact.

A download goes to a temporary file next to its destination and is renamed only
after its length and MD5 checksum are right, so the cache never holds a partial
or corrupt file, even if Python is interrupted halfway.
"""

import hashlib
import http.client
import os
import tempfile
import urllib.request
from pathlib import Path

from tqdm.auto import tqdm

CHUNK_BYTES = 1 << 16


class DownloadError(OSError):
    """A file could not be fetched intact."""


def md5_of_file(path):
    """Hex MD5 digest of the file at `path`, read in chunks."""
    digest = hashlib.md5()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _announced_length(response):
    """Content-Length of the response as an int, or None when absent or unreadable."""
    value = response.headers.get("Content-Length")
    return int(value) if value is not None and value.strip().isdigit() else None


def _download_once(file_name, mirror, destination, md5, timeout):
    """Download mirror + file_name to `destination`, verified, or raise DownloadError.

    Only a complete file with the right checksum is renamed to `destination`;
    the temporary file is removed on every failure.
    """
    url = mirror + file_name
    handle, temporary_name = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{file_name}.", suffix=".part"
    )
    temporary = Path(temporary_name)
    try:
        digest = hashlib.md5()
        received = 0
        with (
            os.fdopen(handle, "wb") as output,
            urllib.request.urlopen(url, timeout=timeout) as response,
        ):
            announced = _announced_length(response)
            with tqdm(
                total=announced, unit="B", unit_scale=True, unit_divisor=1024, desc=file_name
            ) as progress:
                try:
                    while chunk := response.read(CHUNK_BYTES):
                        output.write(chunk)
                        digest.update(chunk)
                        received += len(chunk)
                        progress.update(len(chunk))
                except http.client.IncompleteRead as error:
                    received += len(error.partial)
        if announced is not None and received != announced:
            raise DownloadError(
                f"{file_name} from {mirror}: truncated download, expected {announced} bytes "
                f"(Content-Length), got {received} bytes; the partial file was discarded"
            )
        if digest.hexdigest() != md5:
            raise DownloadError(
                f"{file_name} from {mirror}: MD5 checksum mismatch, expected {md5}, "
                f"got {digest.hexdigest()}; the download was discarded"
            )
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def fetch_verified(file_name, md5, directory, mirrors, timeout):
    """Path of `directory / file_name`, downloading it first unless a verified copy is there.

    A cached copy whose checksum no longer matches is deleted and fetched again.
    The mirrors (base URLs ending in "/") are tried in order.

    Returns:
        (path, mirror): the verified file and the mirror that served it (None when
        it came from the cache).

    Raises:
        DownloadError: listing the failure of every mirror when none delivered the file.
    """
    destination = directory / file_name
    if destination.is_file():
        if md5_of_file(destination) == md5:
            return destination, None
        destination.unlink()
    failures = []
    for mirror in mirrors:
        try:
            _download_once(file_name, mirror, destination, md5, timeout)
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"  - {mirror}: {error}")
        else:
            return destination, mirror
    raise DownloadError(
        f"could not download {file_name} from any of {len(mirrors)} mirror(s):\n"
        + "\n".join(failures)
        + f"\nNo partial file was kept in {directory}. Check the internet connection, "
        f"or pass other mirrors to load_mnist(mirrors=[...])"
    )
