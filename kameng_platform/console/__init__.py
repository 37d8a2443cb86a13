"""The platform's web console at /console/: operators, finance, support, suppliers and resellers in a browser.

Served by the platform's own FastAPI app when `PlatformSettings.console` is on (`kameng-platform serve` turns it
on; the desk's embedded demo platform does not). Jinja2 is imported only by web.py and what it imports, so the
desk's bundle can leave this whole package out (docs/console.md).
"""
