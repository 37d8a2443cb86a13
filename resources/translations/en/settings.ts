<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>DataPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="31"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="34"/>
        <source>至少 8 个字符，请另外保管</source>
        <translation>At least 8 characters; keep it somewhere safe</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="36"/>
        <source>备份</source>
        <translation>Back up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="37"/>
        <source>从备份恢复…</source>
        <translation>Restore from backup…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="38"/>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="96"/>
        <source>更换数据库密钥</source>
        <translation>Rotate the database key</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="51"/>
        <source>备份文件已加密，没有口令无法打开。磁盘损坏时，系统钥匙串会一起丢失，所以备份用店长自己的口令。</source>
        <translation>Backups are encrypted and cannot be opened without the passphrase. A dead disk takes the system keyring with it, so a backup uses the owner&apos;s own passphrase.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="53"/>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="60"/>
        <source>备份文件</source>
        <translation>Backup file</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="54"/>
        <source>备份口令</source>
        <translation>Backup passphrase</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="55"/>
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="66"/>
        <source>请选择备份文件。</source>
        <translation>Choose a backup file.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="69"/>
        <source>两次输入的口令不一致。</source>
        <translation>The two passphrases are different.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="90"/>
        <source>备份数据</source>
        <translation>Back up the data</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="113"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="93"/>
        <source>备份已写入 {f}</source>
        <translation>Backup written to {f}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="99"/>
        <source>数据库密钥已更换，新密钥在系统钥匙串中。</source>
        <translation>The database key was rotated; the new key is in the system keyring.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/data_page.py" line="111"/>
        <source>已恢复。原数据库保存为 {m}。收银台将关闭，请重新打开。</source>
        <translation>Restored. The previous database was kept as {m}. The counter closes now; please start it again.</translation>
    </message>
</context>
<context>
    <name>DisplayPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="29"/>
        <source>不用客显时留空；如 COM3 或 /dev/ttyUSB0</source>
        <translation>Empty without a pole display; e.g. COM3 or /dev/ttyUSB0</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="33"/>
        <source>顾客屏显示购物清单、应付金额、收款码和找零；客显（CD5220 指令）显示总计和找零。屏幕拔掉或客显未接好时自动关闭，不影响收银。</source>
        <translation>The customer screen shows the items, the amount to pay, the payment QR and the change; the pole display (CD5220 commands) shows the total and the change. An unplugged screen or pole display is simply switched off; the counter goes on.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="36"/>
        <source>保存（需店长 PIN）</source>
        <translation>Save (owner&apos;s PIN)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="41"/>
        <source>顾客屏</source>
        <translation>Customer screen</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="42"/>
        <source>客显串口</source>
        <translation>Pole display port</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="43"/>
        <source>客显波特率</source>
        <translation>Pole display baud rate</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="54"/>
        <source>不使用</source>
        <translation>Not used</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="58"/>
        <source>{name}（未连接）</source>
        <translation>{name} (not connected)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="87"/>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="87"/>
        <source>没有改动。</source>
        <translation>Nothing changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/display_page.py" line="91"/>
        <source>修改顾客显示设置</source>
        <translation>Change the customer display settings</translation>
    </message>
</context>
<context>
    <name>GeneralPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="25"/>
        <source>如：欢迎光临，点卡售出概不退换</source>
        <translation>e.g. Welcome! Cards sold are not refundable</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="27"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="32"/>
        <source>扫码或付款码收款、退款完成时语音播报（如“微信收款一百元”）</source>
        <translation>Say QR and payment-code payments and refunds aloud when they complete (e.g. “微信收款一百元”)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="34"/>
        <source>保存（需店长 PIN）</source>
        <translation>Save (owner&apos;s PIN)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="38"/>
        <source>店名</source>
        <translation>Shop name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="39"/>
        <source>小票抬头</source>
        <translation>Receipt header</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="40"/>
        <source>无操作自动锁屏</source>
        <translation>Auto-lock when idle</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="41"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="43"/>
        <source>语音播报</source>
        <translation>Spoken confirmation</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="68"/>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="68"/>
        <source>没有改动。</source>
        <translation>Nothing changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="75"/>
        <source>修改设置</source>
        <translation>Change settings</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="31"/>
        <source>扫码成功、失败时发出提示音</source>
        <translation>Beep when a scan succeeds or fails</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/general.py" line="42"/>
        <source>提示音</source>
        <translation>Sounds</translation>
    </message>
</context>
<context>
    <name>PlatformPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="21"/>
        <source>配对</source>
        <translation>Pair</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="22"/>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="75"/>
        <source>解除配对</source>
        <translation>Un-pair</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="33"/>
        <source>平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="34"/>
        <source>配对码</source>
        <translation>Pairing code</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="47"/>
        <source>已配对：{url}（{reseller}，终端 {t}）</source>
        <translation>Paired: {url} ({reseller}, terminal {t})</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="50"/>
        <source>未配对：销售在本机离线记录，配对后才能补货、充值和扫码收款。</source>
        <translation>Not paired: sales are recorded offline on this computer; restock, top-ups and QR payments need pairing.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="64"/>
        <source>请填写平台地址和配对码。</source>
        <translation>Enter the platform address and the pairing code.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="67"/>
        <source>配对平台</source>
        <translation>Pair with a platform</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="69"/>
        <source>已与 {r} 配对。</source>
        <translation>Paired with {r}.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/platform_page.py" line="77"/>
        <source>已解除配对。</source>
        <translation>Un-paired.</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <location filename="../../../kameng_desk/gui/settings/__init__.py" line="33"/>
        <source>店铺与语言</source>
        <translation>Shop &amp;&amp; language</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/__init__.py" line="33"/>
        <source>员工</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/__init__.py" line="34"/>
        <source>平台</source>
        <translation>Platform</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/__init__.py" line="34"/>
        <source>收款码</source>
        <translation>Shop QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/__init__.py" line="35"/>
        <source>备份与密钥</source>
        <translation>Backup &amp;&amp; keys</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/__init__.py" line="35"/>
        <source>顾客显示</source>
        <translation>Customer display</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="32"/>
        <source>重置 PIN</source>
        <translation>Reset PIN</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="32"/>
        <source>添加员工</source>
        <translation>Add staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="36"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="37"/>
        <source>店长</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="39"/>
        <source>4 到 8 位数字</source>
        <translation>4 to 8 digits</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="41"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="42"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="43"/>
        <source>新 PIN</source>
        <translation>New PIN</translation>
    </message>
</context>
<context>
    <name>StaffPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="55"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="55"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="55"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="60"/>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="111"/>
        <source>添加员工</source>
        <translation>Add staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="61"/>
        <source>停用 / 启用</source>
        <translation>Disable / enable</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="62"/>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="134"/>
        <source>重置 PIN</source>
        <translation>Reset PIN</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="85"/>
        <source>店长</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="85"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="86"/>
        <source>在用</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="86"/>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="112"/>
        <source>已添加。</source>
        <translation>Added.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="120"/>
        <source>启用员工</source>
        <translation>Enable staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="120"/>
        <source>停用员工</source>
        <translation>Disable staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="123"/>
        <source>已更新。</source>
        <translation>Updated.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/staff_page.py" line="135"/>
        <source>PIN 已重置。</source>
        <translation>PIN reset.</translation>
    </message>
</context>
<context>
    <name>StaticQrPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="21"/>
        <source>平台连不上时，顾客可以扫店铺自己的收款码付款；收银员确认到账后点“收到款项”，系统会记录是谁确认的。</source>
        <translation>When the platform cannot be reached, customers can pay by scanning the shop&apos;s own collection QR; the cashier presses &quot;Payment received&quot; once the money has arrived, and who confirmed it is recorded.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="23"/>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="49"/>
        <source>尚未设置</source>
        <translation>Not set up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="27"/>
        <source>或粘贴收款码里的链接文字</source>
        <translation>or paste the link text inside the QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="28"/>
        <source>选择收款码图片…</source>
        <translation>Choose the QR image…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="29"/>
        <source>保存文字</source>
        <translation>Save text</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="54"/>
        <source>收款码图片</source>
        <translation>Collection QR image</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="71"/>
        <source>设置收款码</source>
        <translation>Set the shop QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/settings/static_qr_page.py" line="76"/>
        <source>收款码已保存。</source>
        <translation>Shop QR saved.</translation>
    </message>
</context>
</TS>
