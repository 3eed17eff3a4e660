"""SM4-GCM (GB/T 32907 block cipher in the authenticated GCM mode of GM/T 0009 and RFC 8998) from the maintained
``cryptography`` package: every value gets a fresh 96-bit nonce, and the tag makes a changed byte an error,
never garbage. A sealed blob is ``key id (8 ASCII bytes) | nonce (12) | ciphertext | tag (16)``; the associated
data names what the blob is (a column, or "file"), so a value moved to another column does not open."""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ..errors import CryptoError
from .keys import keyring

NONCE_BYTES, TAG_BYTES, ID_BYTES = 12, 16, 8
#: sealed text in a database column starts with this
TEXT_PREFIX = "fq1$"
#: sealed bytes in a binary column start with this
BYTES_PREFIX = TEXT_PREFIX.encode("ascii")
#: a sealed file starts with this
FILE_MAGIC = b"FQE1"
FILE_AAD = b"file"


def seal(data: bytes, aad: bytes, kid: str | None = None) -> bytes:
    ring = keyring()
    kid = kid or ring.current_id
    nonce = os.urandom(NONCE_BYTES)
    enc = Cipher(algorithms.SM4(ring.get(kid)), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    body = enc.update(data) + enc.finalize()
    return kid.encode("ascii") + nonce + body + enc.tag


def unseal(blob: bytes, aad: bytes, what: str) -> bytes:
    if len(blob) < ID_BYTES + NONCE_BYTES + TAG_BYTES:
        raise CryptoError(f"{what}的密文已损坏（长度不足）")
    kid = blob[:ID_BYTES].decode("ascii", errors="replace")
    nonce = blob[ID_BYTES:ID_BYTES + NONCE_BYTES]
    body, tag = blob[ID_BYTES + NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    dec = Cipher(algorithms.SM4(keyring().get(kid)), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(aad)
    try:
        return dec.update(body) + dec.finalize()
    except InvalidTag:
        raise CryptoError(f"{what}无法解密：密文被改动或已损坏（完整性校验失败）") from None


def key_of(blob: bytes) -> str:
    return blob[:ID_BYTES].decode("ascii", errors="replace")


def seal_text(text: str, label: str, kid: str | None = None) -> str:
    blob = seal(text.encode("utf-8"), label.encode("utf-8"), kid)
    return TEXT_PREFIX + base64.b64encode(blob).decode("ascii")


def text_blob(value: str, label: str) -> bytes:
    if not value.startswith(TEXT_PREFIX):
        raise CryptoError(f"字段 {label} 中有未加密的内容：请运行 fengqing migrate")
    try:
        return base64.b64decode(value[len(TEXT_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise CryptoError(f"字段 {label} 的密文已损坏") from None


def open_text(value: str, label: str) -> str:
    return unseal(text_blob(value, label), label.encode("utf-8"), f"字段 {label} ").decode("utf-8")


def seal_bytes(data: bytes, label: str, kid: str | None = None) -> bytes:
    """A binary column's value: the text prefix, then the blob (no base64: the column holds bytes)."""
    return BYTES_PREFIX + seal(data, label.encode("utf-8"), kid)


def bytes_blob(value: bytes, label: str) -> bytes:
    if not value.startswith(BYTES_PREFIX):
        raise CryptoError(f"字段 {label} 中有未加密的内容：请运行 fengqing migrate")
    return value[len(BYTES_PREFIX):]


def open_bytes(value: bytes, label: str) -> bytes:
    return unseal(bytes_blob(value, label), label.encode("utf-8"), f"字段 {label} ")


def seal_file(data: bytes, kid: str | None = None) -> bytes:
    return FILE_MAGIC + seal(data, FILE_AAD, kid)


def open_file(data: bytes, name: str) -> bytes:
    if not data.startswith(FILE_MAGIC):
        raise CryptoError(f"文件“{name}”未加密或已损坏")
    return unseal(data[len(FILE_MAGIC):], FILE_AAD, f"文件“{name}”")
