"""A desk process that refunds a QR sale against the platform and is killed (SIGKILL, by itself) at the worst
moment: just before the refund request leaves (``before_send``), or just after the platform answered it and before
the desk recorded the answer (``after_answer``). The refund was stored first; the restarted desk must finish it."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from kameng_desk.records.payment_port import Refund
from kameng_desk.sync.pairing import client_for
from kameng_desk.usecases import refunds
from local_cache import Store
from local_cache.keystore import SERVICE, MemoryKeyring


class DiesAtTheRefund:
    """The real client, except that the process dies around the refund request."""

    def __init__(self, client, when: str) -> None:
        self.client, self.when = client, when

    def __getattr__(self, name: str):
        return getattr(self.client, name)

    def refund_payment(self, **request) -> Refund:
        if self.when == "before_send":
            os.kill(os.getpid(), signal.SIGKILL)
        answer = self.client.refund_payment(**request)
        print(answer.refund_id, flush=True)  # the platform has it; the desk dies before writing that down
        os.kill(os.getpid(), signal.SIGKILL)
        return answer


def main() -> None:
    data_dir, owner_id, order_id, when = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    backend = MemoryKeyring()
    store_id = (data_dir / "store-id").read_text().strip()
    backend.set_password(SERVICE, f"db-key/{store_id}", os.environ["KAMENG_TEST_DB_KEY"])
    store = Store.open(data_dir, backend)
    store.secrets.set_terminal_secret(os.environ["KAMENG_TEST_TERMINAL_SECRET"])
    refunds.refund_order(store, DiesAtTheRefund(client_for(store), when), order_id=order_id, staff_id=owner_id,
                         approver_id=owner_id, reason="顾客退货")


if __name__ == "__main__":
    main()
