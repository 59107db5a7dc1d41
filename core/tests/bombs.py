"""Hostile upload files, built in memory in well under a second: the tests of the upload limits
and bench/uploads.py use them.

The XLSX bomb is a real workbook whose sheet XML unpacks to hundreds of megabytes of identical
rows while the file stays about 1/300 of that: one deflate stream of 1 MiB of rows, ended by a
full flush so that it stands alone, is written again and again (what a zip bomb does; building it
by compressing 390 MB would take seconds).
"""

import io
import struct
import zipfile
import zlib

import openpyxl

MIB = 2**20
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row><c t="inlineStr"><is><t>participant_index_number</t></is></c></row>'
)
SHEET_ROW = b'<row><c t="inlineStr"><is><t>T101</t></is></c></row>'
SHEET_TAIL = b"</sheetData></worksheet>"


def _deflate(data: bytes) -> bytes:
    compress = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compress.compress(data) + compress.flush()


def zip_parts(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip file of already deflated parts: (name, deflated bytes, CRC-32, unpacked size)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, deflated, crc, size in parts:
        offset, encoded = out.tell(), name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(deflated), size, len(encoded), 0))
        out.write(encoded)
        out.write(deflated)
        directory.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(deflated), size, len(encoded), 0, 0, 0, 0, 0, offset))
        directory.write(encoded)
    start, central = out.tell(), directory.getvalue()
    out.write(central)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), start, 0))
    return out.getvalue()


def workbook_parts(rows: list[list[str]]) -> dict[str, bytes]:
    """The parts of a workbook openpyxl writes with these rows, unpacked."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def xlsx_from_parts(parts: dict[str, bytes]) -> bytes:
    return zip_parts([(name, _deflate(data), zlib.crc32(data), len(data)) for name, data in parts.items()])


def xlsx_bomb(unpacked: int = 390 * MIB) -> bytes:
    """A sign-in sheet whose first sheet unpacks to about `unpacked` bytes: a header and rows of T101."""
    parts = workbook_parts([["participant_index_number"], ["T101"]])
    chunk = SHEET_ROW * (MIB // len(SHEET_ROW))
    repeats = max(1, (unpacked - len(SHEET_HEAD) - len(SHEET_TAIL)) // len(chunk))
    compress = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compress.compress(SHEET_HEAD) + compress.flush(zlib.Z_FULL_FLUSH)
    block = compress.compress(chunk) + compress.flush(zlib.Z_FULL_FLUSH)
    tail = compress.compress(SHEET_TAIL) + compress.flush()
    crc = zlib.crc32(SHEET_HEAD)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(SHEET_TAIL, crc)
    size = len(SHEET_HEAD) + repeats * len(chunk) + len(SHEET_TAIL)
    listed = [(name, _deflate(data), zlib.crc32(data), len(data)) for name, data in parts.items() if name != SHEET]
    return zip_parts([*listed, (SHEET, head + block * repeats + tail, crc, size)])


def many_rows_csv(rows: int = 1_000_000, header: str = "participant_index_number") -> bytes:
    """A header and `rows` rows of one character: a million rows weigh 2 MB."""
    return header.encode() + b"\n" + b"x\n" * rows
