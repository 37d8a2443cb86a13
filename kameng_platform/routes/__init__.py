"""The platform API's routes: one APIRouter module per resource, and deps.py for what they depend on."""

from kameng_platform.routes import (
    catalog,
    changes,
    gateways,
    orders,
    pairing,
    payments,
    restock,
    retail_prices,
    server_time,
    shift_reports,
)

# In the order create_app includes them (the order of the OpenAPI document's paths).
ROUTERS = (server_time.router, pairing.router, catalog.router, restock.router, orders.router, changes.router,
           shift_reports.router, retail_prices.router, payments.router, gateways.router)
