"""Every uploaded file is cut off at bas.upload_limits.MAX_UPLOAD_BYTES as it arrives, before
any view sees it: a 400 naming the limit, never gigabytes on disk or read into memory."""

from django.core.exceptions import BadRequest
from django.core.files.uploadhandler import FileUploadHandler

from bas.upload_limits import MAX_UPLOAD_BYTES, UploadLimitError


class UploadTooLargeError(UploadLimitError, BadRequest):
    """Over the size any upload may have (a BadRequest too: raised while Django parses the
    request body, perhaps inside a middleware, it is still a 400)."""


class UploadSizeLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes and passes them on."""

    received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_UPLOAD_BYTES:
            raise UploadTooLargeError(filename=self.file_name or "", kind="file",
                                      limit="max_bytes", allowed=MAX_UPLOAD_BYTES,
                                      what=f"its size (over {MAX_UPLOAD_BYTES:,} bytes)")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
