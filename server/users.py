"""User accounts in the server store: names, argon2 password hashes and a role (admin or reader)."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ingest.errors import VeivalgError
from server import db

ROLES = ("admin", "reader")


@dataclass(frozen=True)
class User:
    name: str
    role: str  # "admin" | "reader"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class UserStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self._hasher = PasswordHasher()

    def add(self, name: str, password: str, role: str = "reader") -> User:
        """Create the user, or set a new password and role for an existing one."""
        name = name.strip()
        if not name:
            raise VeivalgError("Brukernavnet kan ikke være tomt.")
        if role not in ROLES:
            raise VeivalgError(f"Ukjent rolle «{role}»; velg admin eller reader.")
        if len(password) < 8:
            raise VeivalgError("Passordet må ha minst 8 tegn.")
        digest = self._hasher.hash(password)
        with db.pool(self.url).connection() as conn:
            conn.execute(
                "INSERT INTO users (name, password_hash, role) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role",
                (name, digest, role),
            )
        return User(name, role)

    def get(self, name: str) -> User | None:
        with db.pool(self.url).connection() as conn:
            row = conn.execute("SELECT name, role FROM users WHERE name = %s", (name.strip(),)).fetchone()
        return None if row is None else User(row[0], row[1])

    def verify(self, name: str, password: str) -> User | None:
        """The user when the password is right; None for a wrong password or an unknown name."""
        with db.pool(self.url).connection() as conn:
            row = conn.execute(
                "SELECT name, role, password_hash FROM users WHERE name = %s", (name.strip(),)
            ).fetchone()
        if row is None:
            self._hasher.hash(password)  # as slow as a real check: timing does not tell which names exist
            return None
        try:
            self._hasher.verify(row[2], password)
        except (VerificationError, InvalidHashError):
            return None
        if self._hasher.check_needs_rehash(row[2]):
            self.add(row[0], password, row[1])
        return User(row[0], row[1])

    def users(self) -> list[User]:
        with db.pool(self.url).connection() as conn:
            return [User(n, r) for n, r in conn.execute("SELECT name, role FROM users ORDER BY name").fetchall()]

    def delete(self, name: str) -> None:
        with db.pool(self.url).connection() as conn:
            conn.execute("DELETE FROM users WHERE name = %s", (name.strip(),))
