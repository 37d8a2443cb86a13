"""A real platform with its console on loopback, and a browser-less console client (httpx with cookies) that
logs in through the login form as a person does."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field

import httpx
import pyotp

from kameng_platform.console import auth
from kameng_platform.console.roles import Role
from kameng_platform.crypto import Sealer
from tests.platform.client import PlatformHarness

PASSWORD = "correct horse 电池"
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
_names = itertools.count(1)


@dataclass
class Account:
    username: str
    role: Role
    password: str
    totp_secret: str | None

    def code(self, steps_ahead: int = 0) -> str:
        """The TOTP code for now (or a step later: each step is accepted once, a second login needs the next)."""
        totp = pyotp.TOTP(self.totp_secret)
        return totp.at(int(time.time()) + 30 * steps_ahead)


@dataclass
class ConsoleClient:
    base_url: str
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, follow_redirects=False, timeout=30)

    def login_form(self) -> str:
        page = self.http.get("/console/login")
        assert page.status_code == 200
        return CSRF_RE.search(page.text).group(1)

    def login(self, username: str, password: str, totp: str = "", *, next_: str = "") -> httpx.Response:
        return self.http.post("/console/login", data={"username": username, "password": password, "totp": totp,
                                                      "csrf": self.login_form(), "next": next_})

    def csrf(self, path: str = "/console/account") -> str:
        return CSRF_RE.search(self.http.get(path).text).group(1)


@dataclass
class ConsoleHarness:
    platform: PlatformHarness

    @classmethod
    def start(cls, db_url: str, **settings_fields) -> ConsoleHarness:
        return cls(PlatformHarness.start(db_url, console=True, **settings_fields))

    @property
    def url(self) -> str:
        return self.platform.url

    def user(self, role: Role, *, username: str | None = None, reseller_id: str | None = None,
             supplier_id: str | None = None) -> Account:
        engine = self.platform.engine()
        name = username or f"{role.value}{next(_names)}"
        if role is Role.RESELLER and reseller_id is None:
            reseller_id = self.platform.reseller_id
        if role is Role.SUPPLIER and supplier_id is None:
            supplier_id = "s_test"
        try:
            with engine.begin() as conn:
                _user, secret = auth.create_user(conn, Sealer(self.platform.settings.server_key), username=name,
                                                 role=role, password=PASSWORD, reseller_id=reseller_id,
                                                 supplier_id=supplier_id)
        finally:
            engine.dispose()
        return Account(name, role, PASSWORD, secret)

    def read(self, query) -> list:
        """The rows of one query, read on a connection of its own (what a test checks was written)."""
        engine = self.platform.engine()
        try:
            with engine.connect() as conn:
                return conn.execute(query).all()
        finally:
            engine.dispose()

    def client(self) -> ConsoleClient:
        return ConsoleClient(self.url)

    def logged_in(self, account: Account) -> ConsoleClient:
        client = self.client()
        reply = client.login(account.username, account.password, account.code() if account.totp_secret else "")
        assert reply.status_code == 303, reply.text
        return client

    def stop(self) -> None:
        self.platform.stop()


def new_reseller(harness: ConsoleHarness, name: str) -> str:
    from kameng_platform import admin

    engine = harness.platform.engine()
    try:
        with engine.begin() as conn:
            return admin.create_reseller(conn, name, "standard")
    finally:
        engine.dispose()
