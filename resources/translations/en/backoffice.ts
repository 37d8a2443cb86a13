<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1">
<context>
    <name>BackOfficePage</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="24" />
        <source>返回收银 (Esc)</source>
        <translation>Back to counter (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="41" />
        <source>后台 · {name}</source>
        <translation>Back office · {name}</translation>
    </message>
</context>
</TS>