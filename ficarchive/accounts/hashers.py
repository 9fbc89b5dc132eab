"""Password hashes brought in by imports: old unsalted MD5 digests (eFiction's) wrapped in
Argon2, so that the digest is never stored as it is. Listed after Argon2 in PASSWORD_HASHERS,
so Django rehashes the password with plain Argon2 at the member's first login."""

from __future__ import annotations

import hashlib

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2MD5PasswordHasher(Argon2PasswordHasher):
    """argon2(md5_hex(password)): the hash of an imported MD5 digest, checked without ever
    knowing the password."""

    algorithm = "argon2_md5"
    # OWASP's minimum Argon2id settings (19 MiB, 2 passes, 1 lane) rather than Django's
    # (100 MiB, 8 lanes): an import wraps thousands of digests at once, and each hash lives
    # only until its member's first login rehashes the password with Django's settings.
    memory_cost = 19456
    time_cost = 2
    parallelism = 1

    # Argon2PasswordHasher writes and checks `self.algorithm` as the prefix, so the inner
    # Argon2 hash is the standard one, of the digest instead of the password.

    def encode(self, password: str, salt: str) -> str:
        return self.encode_md5(_md5(password), salt)

    def encode_md5(self, digest: str, salt: str) -> str:
        """The hash of an MD5 digest as eFiction stored it (32 hex digits)."""
        return super().encode(digest.lower(), salt)

    def verify(self, password: str, encoded: str) -> bool:
        return super().verify(_md5(password), encoded)

    def must_update(self, encoded: str) -> bool:
        # Never the first hasher, so Django upgrades at login anyway; this says it plainly.
        return True


def _md5(password: str) -> str:
    return hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()


def md5_wrapped(digest: str) -> str | None:
    """The stored hash for an eFiction MD5 digest, or None when the value is not one."""
    digest = digest.strip().lower()
    if len(digest) != 32 or any(c not in "0123456789abcdef" for c in digest):
        return None
    hasher = Argon2MD5PasswordHasher()
    return hasher.encode_md5(digest, hasher.salt())
