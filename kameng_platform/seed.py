"""Demo data: a realistic 卡盟 catalog with codes, one reseller with a balance and a pairing code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from kameng_platform import admin, terminals
from kameng_platform.crypto import Sealer
from kameng_platform.db import make_engine, migrate
from kameng_platform.schema import resellers
from kameng_platform.settings import PlatformSettings

DEMO_RESELLER = "r_demo"

# (id, category, name, kind, face value 元, cost %, account rule, redeem hint)
CATALOG = [
    ("qb10", "qq", "Q币 10元", "card", 10, 96, None, "登录 pay.qq.com，选择“卡密充值”"),
    ("qb30", "qq", "Q币 30元", "card", 30, 96, None, "登录 pay.qq.com，选择“卡密充值”"),
    ("qb100", "qq", "Q币 100元", "card", 100, 96, None, "登录 pay.qq.com，选择“卡密充值”"),
    ("wy50", "game", "网易一卡通 50元", "card", 50, 95, None, "在 ecard.163.com 充值到网易通行证"),
    ("wy100", "game", "网易一卡通 100元", "card", 100, 95, None, "在 ecard.163.com 充值到网易通行证"),
    ("jw50", "game", "骏网一卡通 50元", "card", 50, 94, None, "在 www.jcard.cn 兑换 J 点"),
    ("sd30", "game", "盛大点卡 30元", "card", 30, 94, None, "在盛大游戏官网充值中心使用"),
    ("wm50", "game", "完美一卡通 50元", "card", 50, 94, None, "在完美世界官网充值中心使用"),
    ("hf30", "phone", "话费 30元", "topup", 30, 99, "phone", ""),
    ("hf50", "phone", "话费 50元", "topup", 50, 99, "phone", ""),
    ("hf100", "phone", "话费 100元", "topup", 100, 99, "phone", ""),
    ("wzry60", "direct", "王者荣耀 60点券", "topup", 6, 97, r"[1-9][0-9]{5,11}", ""),
]
CATEGORIES = [("qq", "腾讯 Q币", "card", 1), ("game", "游戏点卡", "card", 2), ("phone", "话费直充", "topup", 3),
              ("direct", "游戏直充", "topup", 4)]
CODES_PER_PRODUCT = 50


@dataclass(frozen=True)
class DemoSeed:
    reseller_id: str
    pairing_code: str
    product_ids: tuple[str, ...]


def seed_demo(settings: PlatformSettings, *, codes_per_product: int = CODES_PER_PRODUCT) -> DemoSeed:
    migrate(settings.db_url)
    engine = make_engine(settings.db_url)
    sealer = Sealer(settings.server_key)
    try:
        with engine.begin() as conn:
            if conn.execute(select(resellers.c.id).where(resellers.c.id == DEMO_RESELLER)).first() is None:
                admin.create_reseller(conn, "星星网吧（演示）", "standard", DEMO_RESELLER)
                admin.credit(conn, DEMO_RESELLER, 500_000, "demo-opening-credit")
                for cid, name, kind, sort in CATEGORIES:
                    admin.upsert_category(conn, cid, name, kind, sort)
                for sort, (pid, cat, name, kind, face, pct, rule, hint) in enumerate(CATALOG):
                    fen = face * 100
                    admin.upsert_product(conn, product_id=pid, category_id=cat, name=name, kind=kind,
                                         face_value_fen=fen, suggested_retail_fen=fen,
                                         tier_prices={"standard": fen * pct // 100}, account_rule=rule,
                                         redeem_hint=hint, sort=sort)
                    if kind == "card":
                        rows = "\n".join(f"{pid.upper()}{secrets.randbelow(10**12):012d},"
                                         f"{secrets.token_hex(8).upper()}" for _ in range(codes_per_product))
                        report = admin.import_codes(conn, sealer, pid, rows)
                        if not report.ok:
                            raise RuntimeError(f"demo code import failed: {report.errors[:3]}")
            code = terminals.create_pairing_code(conn, sealer, DEMO_RESELLER, settings.pairing_ttl_s)
    finally:
        engine.dispose()
    return DemoSeed(DEMO_RESELLER, code, tuple(p[0] for p in CATALOG))
