"""Uploaded files reach the frame importer through a temporary file named as sent."""

import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def saved_upload(upload):
    name = Path(upload.name).name or "frame.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with path.open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        yield path
