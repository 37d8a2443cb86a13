"""PySide6.QtGui as PyInstaller's own hook collects it, less the Qt plugins this app never loads.

Dropping them here, before PyInstaller follows their library dependencies, keeps out what they would pull in:
the GTK 3 platform theme alone brings GTK, Cairo, Pango and GDK-Pixbuf (the app draws itself with Fusion).
Kept: the platforms a shop PC or CI runs on (windows, xcb, wayland, offscreen, minimal), input methods (pinyin
input through IBus/Fcitx on Linux), and the JPEG, GIF and ICO image formats (PNG is built into QtGui).
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# OpenGL integrations (xcb GLX/EGL, Wayland EGL/dmabuf/Vulkan buffers) serve OpenGL and Qt Quick windows; the
# app's widgets paint in software, which xcb and Wayland show through shared memory without a plugin.
UNUSED_PLUGIN_TYPES = {
    "platformthemes", "egldeviceintegrations", "generic", "iconengines", "xcbglintegrations",
    "wayland-graphics-integration-client",
}
UNUSED_PLUGINS = {
    "platforms": {"qeglfs", "qlinuxfb", "qvnc", "qminimalegl", "qvkkhrdisplay", "qdirect2d"},
    "imageformats": {"qtiff", "qwebp", "qicns", "qtga", "qwbmp", "qpdf", "qsvg"},
    # GNOME's window decoration draws SVG (libQt6Svg); Wayland windows keep Qt's own "bradient" decoration.
    "wayland-decoration-client": {"adwaita"},
}


def _plugin_name(path: str) -> str:
    stem = Path(path).name.split(".")[0]  # libqxcb.so / qwindows.dll -> libqxcb / qwindows
    return stem.removeprefix("lib")


def _wanted(src: str, dest: str) -> bool:
    kind = Path(dest).name
    return kind not in UNUSED_PLUGIN_TYPES and _plugin_name(src) not in UNUSED_PLUGINS.get(kind, ())


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if _wanted(src, dest)]
