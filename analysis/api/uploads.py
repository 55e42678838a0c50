"""What an uploaded table (margins, borough auxiliaries) brings with it: the CSV file, where
its figures come from and the date they describe, as the upload services take them."""

from typing import Any


def uploaded_table(request) -> dict[str, Any]:
    upload = request.FILES.get("file")
    return {"content": upload.read() if upload else b"", "name": upload.name if upload else "",
            "source": request.data.get("source", ""), "as_of": request.data.get("as_of", ""),
            "user": request.user}
