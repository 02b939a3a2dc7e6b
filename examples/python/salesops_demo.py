"""Call salesops from Python through the C door with ctypes (no build step, no wheel).

    cargo build -p salesops-ffi --release
    SALESOPS_LIB=target/release/libsalesops_ffi.so python3 examples/python/salesops_demo.py
"""

import ctypes
import json
import os


class Buffer(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class SalesopsError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Salesops:
    """A thin wrapper: documents in, documents out, errors as exceptions with a code."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        lib.salesops_call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(Buffer)]
        lib.salesops_call.restype = ctypes.c_uint32
        lib.salesops_buffer_free.argtypes = [Buffer]
        lib.salesops_buffer_free.restype = None
        lib.salesops_last_error.restype = ctypes.c_char_p
        lib.salesops_status_name.argtypes = [ctypes.c_uint32]
        lib.salesops_status_name.restype = ctypes.c_char_p
        lib.salesops_version.restype = ctypes.c_char_p
        self.lib = lib

    def version(self):
        return self.lib.salesops_version().decode()

    def call(self, op, document):
        data = json.dumps(document).encode()
        out = Buffer()
        status = self.lib.salesops_call(op.encode(), data, len(data), ctypes.byref(out))
        if status != 0:
            code = self.lib.salesops_status_name(status).decode()
            raise SalesopsError(code, self.lib.salesops_last_error().decode())
        try:
            return json.loads(ctypes.string_at(out.data, out.len))
        finally:
            self.lib.salesops_buffer_free(out)


def main():
    so = Salesops(os.environ.get("SALESOPS_LIB", "target/release/libsalesops_ffi.so"))
    print("salesops", so.version())
    quarter = so.call("period.of", {"date": "2026-05-20", "kind": "fiscal_quarter", "calendar": {"fiscal_year_start_month": 4}})
    print("fiscal quarter:", quarter["period"]["label"], quarter["period"]["start"], "to", quarter["period"]["end"])
    split = so.call("money.allocate", {"total": {"amount": "100.00", "currency": "USD"}, "weights": ["1", "1", "1"]})
    print("split:", [p["amount"] for p in split["parts"]])
    try:
        so.call("money.allocate", {"total": {"amount": "100.00", "currency": "USD"}, "weights": ["1", -1]})
    except SalesopsError as e:
        assert e.code == "invalid_input", e.code
        print("refused:", e.code, "-", e)
    else:
        raise SystemExit("expected a refusal")


if __name__ == "__main__":
    main()
