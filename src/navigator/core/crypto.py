"""Encryption at rest for special-category data: AES-GCM under a key ring, plus keyed blind indexes.

A stored value reads `enc1:<key id>:<base64 nonce+ciphertext>`; the field's own name is bound in as
associated data, so a ciphertext copied into another column does not decrypt. The key ring comes
from NAVIGATOR_KEYRING (JSON) or, outside production, a key file readable by its owner only.
"""

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1"


class DecryptionError(Exception):
    pass


@dataclass(frozen=True)
class KeyRing:
    primary: str
    keys: dict[str, bytes]
    blind_index_key: bytes

    def to_json(self) -> str:
        return json.dumps(
            {
                "primary": self.primary,
                "keys": {kid: base64.b64encode(k).decode() for kid, k in self.keys.items()},
                "blind_index_key": base64.b64encode(self.blind_index_key).decode(),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, blind_index_key: str = "") -> "KeyRing":
        data = json.loads(text)
        keys = {kid: base64.b64decode(k) for kid, k in data["keys"].items()}
        if any(len(k) != 32 for k in keys.values()):
            raise ImproperlyConfigured("every encryption key must be 32 bytes (base64 of 32 random bytes)")
        if data["primary"] not in keys:
            raise ImproperlyConfigured("the primary key id is not in the key ring")
        bidx = base64.b64decode(blind_index_key or data.get("blind_index_key", ""))
        if len(bidx) < 32:
            raise ImproperlyConfigured("the blind-index key must be at least 32 bytes")
        return cls(primary=data["primary"], keys=keys, blind_index_key=bidx)

    @classmethod
    def generate(cls) -> "KeyRing":
        return cls(primary="k1", keys={"k1": AESGCM.generate_key(256)}, blind_index_key=secrets.token_bytes(32))

    def with_new_primary(self) -> "KeyRing":
        number = 1 + max(int(kid[1:]) for kid in self.keys if kid[1:].isdigit())
        kid = f"k{number}"
        return KeyRing(primary=kid, keys={**self.keys, kid: AESGCM.generate_key(256)},
                       blind_index_key=self.blind_index_key)


def write_key_file(path: Path, ring: KeyRing, *, replace: bool = True) -> bool:
    """Write atomically, owner read/write only. With replace=False the file is written only if none exists
    yet (processes starting together agree on one key ring); returns whether this call wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(ring.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)  # fails if another process created the file first
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@lru_cache(maxsize=1)
def keyring() -> KeyRing:
    if settings.NAVIGATOR_KEYRING:
        return KeyRing.from_json(settings.NAVIGATOR_KEYRING, settings.NAVIGATOR_BLIND_INDEX_KEY)
    if settings.PRODUCTION:
        raise ImproperlyConfigured("NAVIGATOR_KEYRING must be set in production")
    path = Path(settings.NAVIGATOR_KEY_FILE)
    if not path.exists():
        write_key_file(path, KeyRing.generate(), replace=False)
    return KeyRing.from_json(path.read_text())


def reset_keyring_cache() -> None:
    keyring.cache_clear()


@lru_cache(maxsize=16)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


class _NoncePool:
    """AES-GCM nonces, 12 random bytes each, drawn from the operating system 4,096 at a time.

    Drawing releases Python's lock on the interpreter, and a thread that sealed a narrative per record (the
    import's preparing thread) then waited for the lock again on every record: a fifth of the import's time.
    A forked child starts a pool of its own, so no two processes ever use the same nonce.
    """

    SIZE = 12
    PER_DRAW = 4096

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._lock = threading.Lock()  # new in a child: a fork can copy a lock some other thread held
        self._drawn = b""
        self._used = 0

    def take(self) -> bytes:
        with self._lock:
            if self._used == len(self._drawn):
                self._drawn, self._used = os.urandom(self.SIZE * self.PER_DRAW), 0
            start = self._used
            self._used += self.SIZE
            return self._drawn[start:self._used]


_NONCES = _NoncePool()
os.register_at_fork(after_in_child=_NONCES.reset)


def encrypt(plaintext: str, context: str) -> str:
    ring = keyring()
    nonce = _NONCES.take()
    sealed = _aead(ring.keys[ring.primary]).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}:{ring.primary}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str:
    return stored.split(":", 2)[1]


def decrypt(stored: str, context: str) -> str:
    try:
        prefix, kid, body = stored.split(":", 2)
    except ValueError:
        raise DecryptionError("not an encrypted value") from None
    if prefix != PREFIX:
        raise DecryptionError("not an encrypted value")
    key = keyring().keys.get(kid)
    if key is None:
        raise DecryptionError(f"key {kid!r} is not in the key ring")
    raw = base64.b64decode(body)
    try:
        return _aead(key).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except Exception as error:  # cryptography raises InvalidTag without detail
        raise DecryptionError("value failed authentication") from error


def normalise(value: str) -> str:
    """Case, accents and spacing do not matter for exact search: 'José  SMITH' finds 'jose smith'."""
    decomposed = unicodedata.normalize("NFKD", value)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_marks.casefold().split())


def blind_index(value: str, purpose: str) -> str:
    if not value:
        return ""
    message = f"{purpose}:{normalise(value)}".encode()
    return hmac.new(keyring().blind_index_key, message, hashlib.sha256).hexdigest()[:40]


def keyed_digest(value: str, purpose: str) -> str:
    """HMAC of the exact value: detects change without storing a guessable plain hash."""
    return hmac.digest(keyring().blind_index_key, f"{purpose}:{value}".encode(), "sha256").hex()
