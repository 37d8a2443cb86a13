<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name />
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="32" />
        <source>配对尝试次数过多，请 {n} 分钟后再试。</source>
        <translation>Too many pairing attempts; try again in {n} minutes.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="33" />
        <source>配对尝试次数过多，请稍后再试。</source>
        <translation>Too many pairing attempts; try again later.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="35" />
        <source>配对码无效或已过期，请向运营方索取新的配对码。</source>
        <translation>The pairing code is wrong or has expired; ask the operator for a new one.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="36" />
        <source>平台上此商品已无库存，请联系运营方补货。</source>
        <translation>The platform has no stock of this product; ask the operator to restock it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="37" />
        <location filename="../../../kameng_desk/gui/messages.py" line="49" />
        <source>平台账户余额不足，请先向运营方充值。</source>
        <translation>The platform balance is too low; top up your account with the operator first.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="38" />
        <source>平台已冻结本店的账户，暂时不能补货或上传订单：请联系运营方。</source>
        <translation>The platform has frozen this shop's account: no restocking or order uploads for now. Contact the operator.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="39" />
        <source>此商品在平台上已停售。</source>
        <translation>This product is no longer sold on the platform.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="40" />
        <source>平台上没有此商品，请同步后再试。</source>
        <translation>The platform does not know this product; sync and try again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="41" />
        <source>此收款码已过期，请重新发起收款。</source>
        <translation>This payment QR has expired; start the payment again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="42" />
        <source>此笔扫码收款已取消。</source>
        <translation>This QR payment was cancelled.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="48" />
        <source>平台已冻结本店的账户，请联系运营方。</source>
        <translation>The platform has frozen this shop's account: contact the operator.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="134" />
        <source>库存不足：{name} 需要 {wanted} 张，只有 {available} 张。未售出任何卡密。</source>
        <translation>Not enough stock: {name} needs {wanted}, only {available} left. Nothing was sold.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="137" />
        <source>PIN 错误，还可尝试 {n} 次。</source>
        <translation>Wrong PIN. {n} attempt(s) left.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="139" />
        <source>PIN 错误次数过多，账号已锁定，请 {n} 分钟后再试（收银台关闭或修改系统时间期间不计时）。</source>
        <translation>Too many wrong PINs: this account is locked. Try again in {n} minute(s) (the lock does not count down while the desk is closed or after the system clock is changed).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="142" />
        <source>请输入 PIN。</source>
        <translation>Enter the PIN.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="144" />
        <source>此账号已停用，请联系店长。</source>
        <translation>This account is disabled. Ask the owner.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="146" />
        <source>磁盘已满，本次操作未保存（之前的记录都在）。请清理磁盘后重试。</source>
        <translation>The disk is full: this was not saved (earlier records are safe). Free some space and try again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="148" />
        <source>收款金额不足。</source>
        <translation>The cash received is less than the total.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="153" />
        <source>购物车是空的。</source>
        <translation>The cart is empty.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="155" />
        <source>{name} 已停售。</source>
        <translation>{name} is no longer on sale.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="157" />
        <source>号码或账号无效：{detail}</source>
        <translation>Invalid number or account: {detail}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="166" />
        <source>此操作需要店长授权。</source>
        <translation>This needs the owner's approval.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="168" />
        <source>不能作废：这笔销售的卡密已显示或已开始打印，顾客可能已拿到卡密，卡密不能再放回库存。卡密有问题时请按售后处理。</source>
        <translation>Cannot void: the codes of this sale were already shown or sent to the printer, so the customer may have them and they cannot go back on sale. If a code does not work, handle it as an after-sales case.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="171" />
        <source>这笔订单已作废、已取消或未付款，不能显示卡密。</source>
        <translation>This order was voided, cancelled or not paid: its codes cannot be shown.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="176" />
        <source>重印需要店长授权。</source>
        <translation>A reprint needs the owner's approval.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="178" />
        <source>不能重印：这笔订单{state}，不是已完成的销售。</source>
        <translation>Cannot reprint: this order is {state}, not a completed sale.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="184" />
        <source>不能退款：这笔订单已经退过款了（或作废时已退还现金）。</source>
        <translation>Cannot refund: this order was already refunded (or its cash was given back when it was voided).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="185" />
        <source>不能退款：这笔销售的卡密已显示或已开始打印，顾客可能已拿到卡密，卡密不能再放回库存。</source>
        <translation>Cannot refund: the codes of this sale were shown or started printing, so the customer may have them; they cannot go back on the shelf.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="187" />
        <source>不能退款：这笔订单没有付款，或还没完成，没有钱可退。</source>
        <translation>Cannot refund: this order was not paid or is not complete; there is no money to give back.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="188" />
        <source>退款金额不对：卡密销售只能整单退款；其他订单的金额应大于 0。</source>
        <translation>Wrong refund amount: a card sale is refunded whole; for other orders the amount must be more than 0.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="189" />
        <source>退款金额超过可退金额：最多还能退 ￥{v}。</source>
        <translation>The refund is more than what is left: at most ¥{v} can still be refunded.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="190" />
        <source>这笔订单不是通过平台付款的，直接按原支付方式退款即可。</source>
        <translation>This order was not paid through the platform: refund it the way it was paid.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="191" />
        <source>这笔订单有一笔退款正在等平台处理：请等它完成，不要再退现金。</source>
        <translation>A refund of this order is waiting for the platform: let it finish and do not give cash as well.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="193" />
        <source>平台暂时连不上：原路退款需要平台，这笔退款没有办理。请稍后再试，或改为从钱箱退现金。</source>
        <translation>The platform cannot be reached: a refund to the customer's payment needs it, so nothing was refunded. Try again later, or give cash from the drawer instead.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="198" />
        <source>当前没有开班：请先在“后台 → 交班”中开班。</source>
        <translation>No shift is open: open one in Back office → Shifts first.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="200" />
        <source>请填写店名（会打印在每张小票上）。</source>
        <translation>Enter the shop's name (it is printed on every receipt).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="200" />
        <source>请填写店长姓名。</source>
        <translation>Enter the owner's name.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="201" />
        <location filename="../../../kameng_desk/gui/messages.py" line="207" />
        <source>PIN 为 4 到 8 位数字。</source>
        <translation>A PIN has 4 to 8 digits.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="201" />
        <source>两次输入的 PIN 不一致。</source>
        <translation>The two PINs are different.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="203" />
        <source>此收银台已设置过，请用店长账号登录后修改。</source>
        <translation>This counter is already set up: log in as the owner to change it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="205" />
        <source>店名不能为空，最多 40 个字。</source>
        <translation>The shop name must not be empty (at most 40 characters).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="205" />
        <source>小票抬头最多 200 个字。</source>
        <translation>The receipt header has at most 200 characters.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="206" />
        <source>自动锁屏时间为 1 到 120 分钟。</source>
        <translation>Auto-lock is 1 to 120 minutes.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="206" />
        <source>不支持这种语言。</source>
        <translation>This language is not supported.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="207" />
        <source>请填写员工姓名。</source>
        <translation>Enter the person's name.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="208" />
        <source>客显端口应是 COM3 这样的串口，或 /dev/ttyUSB0 这样的设备。</source>
        <translation>The pole display port is a serial port such as COM3, or a device such as /dev/ttyUSB0.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="211" />
        <source>不能停用最后一位店长：否则没人能授权作废或修改设置。</source>
        <translation>The last owner cannot be disabled: nobody could approve voids or change settings.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="213" />
        <source>还有 {n} 个订单没上传到平台：请先同步，再解除配对。</source>
        <translation>{n} order(s) have not reached the platform yet: sync first, then un-pair.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="215" />
        <source>无法连接平台：订单保存在本机，联网后自动上传。</source>
        <translation>Platform unreachable: orders are kept here and uploaded when back online.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="217" />
        <source>本机时间偏差超过 5 分钟，请校正日期和时间。</source>
        <translation>This computer's clock is off by more than 5 minutes; set the date and time.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="219" />
        <source>平台已停用此收银台，请向运营方索取新的配对码。</source>
        <translation>The platform revoked this counter; ask the operator for a new pairing code.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="221" />
        <source>平台拒绝了此操作（{code}），请把这段代码告诉运营方。</source>
        <translation>The platform refused this ({code}); tell the operator this code.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="227" />
        <source>意外错误：{kind}。已记录的销售不受影响。</source>
        <translation>Unexpected error: {kind}. Recorded sales are safe.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="53" />
        <source>手机号是 11 位数字。</source>
        <translation>A mobile number has 11 digits.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="54" />
        <source>1349 开头的是卫星电话号码，不能在这里充值。</source>
        <translation>Numbers starting 1349 are satellite phones and cannot be topped up here.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="55" />
        <source>{prefix} 不是已知的手机号段，请核对号码。</source>
        <translation>{prefix} is not a known mobile number prefix; check the number.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="56" />
        <source>请输入游戏账号。</source>
        <translation>Enter the game account.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="57" />
        <source>这不是 {name} 的有效账号，请核对。</source>
        <translation>This is not a valid account for {name}; check it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="23" />
        <source>已作废</source>
        <translation>voided</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="24" />
        <source>已取消</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="23" />
        <source>待付款</source>
        <translation>awaiting payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="62" />
        <source>不能作废：充值单不能作废，充值失败时平台会退款。</source>
        <translation>Cannot void: a top-up cannot be voided; the platform refunds it if it fails.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="65" />
        <source>不能作废：这笔订单{state}，不是已完成的销售。</source>
        <translation>Cannot void: this order is {state}, not a completed sale.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="64" />
        <location filename="../../../kameng_desk/gui/messages.py" line="177" />
        <location filename="../../../kameng_desk/gui/messages.py" line="234" />
        <source>未完成</source>
        <translation>not completed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="66" />
        <source>不能作废这笔订单。</source>
        <translation>This order cannot be voided.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="70" />
        <source>备份密码至少 {n} 个字符。</source>
        <translation>The backup passphrase must have at least {n} characters.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="71" />
        <source>备份无法写入 {path}：请检查磁盘空间和写入权限。</source>
        <translation>The backup could not be written to {path}: check the disk space and write permission.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="72" />
        <source>找不到备份文件 {path}，没有任何改动。</source>
        <translation>There is no backup file {path}. Nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="73" />
        <source>{path} 无法用这个密码打开（或不是卡盟备份），没有任何改动。</source>
        <translation>{path} cannot be opened with this passphrase (or is not a Kameng backup). Nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="81" />
        <source>没有可用的系统密钥环（{backend}）：数据库密钥必须保存在系统密钥环中（Windows 为“凭据管理器”）。请启动密钥环服务，或先用演示模式试用。</source>
        <translation>No secure keyring is available ({backend}): the database key must live in the system keyring (Credential Manager on Windows). Start one, or try the demo first.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="84" />
        <source>数据库 {path} 存在，但系统密钥环中没有它的密钥，没有任何改动。请恢复密钥环条目，或用“kameng-desk restore”把备份恢复到新的数据目录。</source>
        <translation>The database {path} exists but its key is not in the system keyring. Nothing was changed. Restore the keyring entry, or restore a backup into a new data folder with `kameng-desk restore`.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="87" />
        <source>系统密钥环中的密钥打不开 {path}，没有任何改动。请恢复正确的密钥环条目或恢复备份。</source>
        <translation>The key in the system keyring does not open {path}. Nothing was changed. Restore the right keyring entry or a backup.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="90" />
        <source>此数据库由更新版本的收银台写入（版本 {found}，本程序支持 {known}）：请安装新版本，数据库没有改动。</source>
        <translation>This database was written by a newer version of the app (schema {found}, this app knows {known}): install the newer version; the database was not changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="93" />
        <source>数据库升级未完成，数据没有改动：请把日志发给技术支持。</source>
        <translation>The database upgrade did not finish; the data was not changed. Send the log to support.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="95" />
        <source>这条记录的状态刚刚变了，请刷新后再试。</source>
        <translation>This record's state has just changed; refresh and try again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="97" />
        <source>这个班次已交班，不能再修改。</source>
        <translation>This shift is closed and can no longer be changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="99" />
        <source>找不到这条记录（可能已被删除），请刷新后再试。</source>
        <translation>This record was not found (it may have been removed); refresh and try again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="101" />
        <source>本机数据库出错，本次操作没有保存，之前的记录都在。</source>
        <translation>The local database failed: this change was not saved; everything saved before is kept.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="103" />
        <source>平台繁忙，稍后自动重试。</source>
        <translation>The platform is busy; trying again shortly.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="105" />
        <source>平台的回复无法读取，稍后自动重试。</source>
        <translation>The platform sent a reply this app cannot read; trying again later.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="107" />
        <source>平台不接受此收银台的签名：请把此情况告诉运营方。</source>
        <translation>The platform does not accept this counter's signature: tell the operator.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="109" />
        <source>此收银台还没有配对平台。</source>
        <translation>This counter is not paired with a platform yet.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="111" />
        <source>与平台通讯未完成，稍后自动重试；订单保存在本机。</source>
        <translation>Talking to the platform did not finish; trying again later. Orders are kept on this computer.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="113" />
        <source>连不上平台：请稍后再试，或收现金。</source>
        <translation>The platform cannot be reached: try again later, or take cash.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="115" />
        <source>这个文件不是 PNG、JPEG、GIF 或 BMP 图片：请把收款码从支付软件保存成图片再选择。原收款码没有改动。</source>
        <translation>The file is not a PNG, JPEG, GIF or BMP image. Save the collection QR code from the payment app as a picture and choose that file. The saved QR code was not changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="117" />
        <source>收款码图片太大：请裁剪到只剩二维码后再试。原收款码没有改动。</source>
        <translation>The QR code picture is too large: crop it to the QR code itself and try again. The saved QR code was not changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="119" />
        <source>收款码文字为 1 到 {n} 个字符（支付软件给出的收款链接）。原收款码没有改动。</source>
        <translation>The QR code text must be 1 to {n} characters (the link the payment app shows for the collection code). The saved QR code was not changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="122" />
        <source>还没有设置店铺收款码：请店长在设置中添加，或收现金。</source>
        <translation>No shop QR code is set up: ask the owner to add one in the settings, or take cash.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="124" />
        <source>保存的店铺收款码已损坏，请店长重新设置。</source>
        <translation>The saved shop QR code is damaged: ask the owner to set it up again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="126" />
        <source>操作未完成。已记录的销售不受影响。</source>
        <translation>Not completed. Recorded sales are not affected.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="150" />
        <source>收款 ￥{r} 不合理：最多比应收 ￥{t} 多 ￥{m}。请核对金额（扫码请扫到搜索框）。未记录任何销售。</source>
        <translation>Cash received ¥{r} is not plausible: at most ¥{m} more than the total ¥{t}. Check the amount (scan codes into the search box). Nothing was recorded.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="159" />
        <source>余额不足：需要 ￥{t}，平台余额 ￥{b}。请先充值。</source>
        <translation>The balance is too low: ¥{t} needed, the platform balance is ¥{b}. Top it up first.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="162" />
        <source>条码 {code} 已属于“{name}”：一个条码只能对应一个商品。</source>
        <translation>Barcode {code} already belongs to “{name}”: a barcode can belong to one product only.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="164" />
        <source>条码只能是 1 到 32 个英文字母、数字或符号（不含空格），请重扫。</source>
        <translation>A barcode is 1 to 32 letters, digits or symbols (no spaces): scan again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="180" />
        <source>这笔扫码收款正在收银台上进行：请在收银台取消。</source>
        <translation>This QR payment is open at the counter: cancel it there.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="181" />
        <source>这笔订单没有未付款的扫码收款可以取消（已付款或已取消）。</source>
        <translation>This order has no unpaid QR payment to cancel (it was paid or cancelled).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="183" />
        <source>不能退款：平台还没有报告这笔充值失败，暂时不用退款。</source>
        <translation>Cannot refund: the platform has not reported this top-up as failed; nothing to refund yet.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="195" />
        <source>备用金 ￥{v} 不合理：应在 ￥0 到 ￥{m} 之间，请重新清点。</source>
        <translation>A float of ¥{v} cannot be right: it is ¥0 to ¥{m}; count the drawer again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="209" />
        <source>这项设置无效。</source>
        <translation>This setting has an invalid value.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="23" />
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="24" />
        <source>已付款</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="29" />
        <source>排队中</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="29" />
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="29" />
        <source>充值成功</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="30" />
        <source>充值失败（平台已退款）</source>
        <translation>Failed (refunded by the platform)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="41" />
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="41" />
        <source>扫码（动态码）</source>
        <translation>QR (dynamic)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="42" />
        <source>扫码（静态码）</source>
        <translation>QR (static)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="42" />
        <source>付款码</source>
        <translation>Payment code</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="47" />
        <source>卖卡</source>
        <translation>Card sale</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="47" />
        <source>直充</source>
        <translation>Top-up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="52" />
        <source>待上传</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="52" />
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/texts.py" line="52" />
        <source>被平台拒绝</source>
        <translation>Rejected by the platform</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="28" />
        <source>付款码无效或已过期：请顾客刷新付款码后重扫。</source>
        <translation>The payment code is invalid or has expired: ask the customer to refresh it and scan again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="29" />
        <source>余额不足：请顾客换一张卡或换一种付款方式。</source>
        <translation>Insufficient balance: ask the customer to choose another card or pay another way.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="30" />
        <source>超出顾客的付款限额：请顾客换一种付款方式。</source>
        <translation>Over the customer's payment limit: ask the customer to pay another way.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="31" />
        <source>顾客选的银行卡不支持这笔付款：请顾客换一张卡。</source>
        <translation>The customer's bank card does not support this payment: ask them to choose another card.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="32" />
        <source>顾客的支付账户受限，付款被拒绝：请顾客换一种付款方式。</source>
        <translation>The customer's payment account is restricted and the payment was refused: ask them to pay another way.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="33" />
        <source>顾客没有及时完成付款，交易已关闭：请重新扫码。</source>
        <translation>The customer did not complete the payment in time and it was closed: scan again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="34" />
        <source>银行系统繁忙：请稍后重试，或换一种付款方式。</source>
        <translation>The bank's system is busy: try again shortly, or pay another way.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="36" />
        <source>付款失败（{code}）：请换一种付款方式。</source>
        <translation>Payment failed ({code}): ask the customer to pay another way.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="36" />
        <source>原因未知</source>
        <translation>reason unknown</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="29" />
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="29" />
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
</context>
<context>
    <name>BarcodeScanDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/scan_box.py" line="86" />
        <source>绑定条码</source>
        <translation>Attach barcode</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/scan_box.py" line="88" />
        <source>用扫码枪扫商品上的条码</source>
        <translation>Scan the barcode on the product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/scan_box.py" line="94" />
        <source>扫描“{name}”的条码，以后扫这个条码就加入此商品。</source>
        <translation>Scan the barcode of “{name}”: from then on, scanning it adds this product.</translation>
    </message>
</context>
<context>
    <name>CashConfirmation</name>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="170" />
        <source>核对收款</source>
        <translation>Check the cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="172" />
        <source>收款 ￥{r}，应收 ￥{t}，要找零 ￥{c}：比一张 ￥100 还多。
确实收到这么多现金吗？</source>
        <translation>Received ¥{r} for a total of ¥{t}: ¥{c} change, more than a ¥100 note.
Did you really receive this much cash?</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="175" />
        <source>确认收款 (&amp;Y)</source>
        <translation>Confirm cash (&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="176" />
        <source>返回修改 (Esc)</source>
        <translation>Go back (Esc)</translation>
    </message>
</context>
<context>
    <name>CodePayDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="49" />
        <source>付款码收款</source>
        <translation>Payment code</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="51" />
        <source>￥{v}</source>
        <translation>¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="74" />
        <source>取消收款 (Esc)</source>
        <translation>Cancel payment (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="93" />
        <source>正在收款…</source>
        <translation>Charging…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="93" />
        <source>正在通过平台向顾客的付款码扣款，请稍候。</source>
        <translation>Charging the customer's payment code through the platform, please wait.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="98" />
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="100" />
        <source>等待顾客输入支付密码</source>
        <translation>Waiting for the customer's payment password</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="98" />
        <source>请顾客在手机上确认付款。Esc 取消收款。</source>
        <translation>Ask the customer to confirm the payment on their phone. Esc cancels.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="101" />
        <source>请顾客在{app}里确认付款。Esc 取消收款。</source>
        <translation>Ask the customer to confirm the payment in {app}. Esc cancels.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="105" />
        <source>正在取消收款…</source>
        <translation>Cancelling the payment…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="105" />
        <source>正在请平台撤销这笔收款。</source>
        <translation>Asking the platform to reverse this payment.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="109" />
        <source>不再等待 (Esc)</source>
        <translation>Stop waiting (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="111" />
        <source>平台正在撤销这笔收款…</source>
        <translation>The platform is reversing this payment…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="112" />
        <source>如果顾客已付款，钱会原路退回。可以按 Esc 不再等待：联网后自动核对，卡密随后放回库存。</source>
        <translation>If the customer has paid, the money goes back the way it came. Press Esc to stop waiting: it is checked automatically once online, and the codes then go back into stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="114" />
        <source>连不上平台，收款结果未知</source>
        <translation>Cannot reach the platform: the outcome is unknown</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="115" />
        <source>已请求撤销这笔收款（顾客若已付款会原路退回）。请改收现金或让顾客扫店铺收款码；按 Esc 不再等待，联网后自动核对。</source>
        <translation>The payment's reversal was requested (if the customer paid, the money goes back). Take cash or let the customer scan the shop's QR; press Esc to stop waiting — it is checked automatically once online.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="119" />
        <source>查询失败，稍后重试…</source>
        <translation>Query failed, retrying shortly…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/code_pay_dialog.py" line="126" />
        <source>关闭 (Enter)</source>
        <translation>Close (Enter)</translation>
    </message>
</context>
<context>
    <name>CodesDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="55" />
        <source>卡密 — 订单 {n}</source>
        <translation>Card codes — order {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="62" />
        <source>找零 ￥{v}</source>
        <translation>Change ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="109" />
        <source>显示卡密 (Enter)</source>
        <translation>Show codes (Enter)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="113" />
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="75" />
        <location filename="../../../kameng_desk/gui/dialogs.py" line="131" />
        <source>卡号 {v}</source>
        <translation>No. {v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="75" />
        <location filename="../../../kameng_desk/gui/dialogs.py" line="132" />
        <source>卡密 {v}</source>
        <translation>PIN {v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="79" />
        <source>复制卡号</source>
        <translation>Copy card no.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="79" />
        <source>复制卡密</source>
        <translation>Copy secret</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="97" />
        <source>{name} 使用方法：{hint}</source>
        <translation>How to redeem {name}: {hint}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="103" />
        <source>兑换网址：{url}</source>
        <translation>Redeem at: {url}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="106" />
        <source>复制的卡号、卡密 {n} 秒后从剪贴板清除。</source>
        <translation>A copied card number or secret is cleared from the clipboard after {n} seconds.</translation>
    </message>
</context>
<context>
    <name>CounterPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="253" />
        <source>搜索商品：名称、拼音首字母（如 qb）或扫码</source>
        <translation>Search: name, pinyin initials (e.g. qb) or scan</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="282" />
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="282" />
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="282" />
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="282" />
        <source>小计</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="291" />
        <source>收款（元），留空为正好</source>
        <translation>Cash received (yuan); empty = exact</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="299" />
        <source>正好</source>
        <translation>Exact</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="299" />
        <source>收 ￥{v}</source>
        <translation>¥{v} given</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="318" />
        <source>收款结账 (F12)</source>
        <translation>Take cash (F12)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="321" />
        <source>清空 (Esc)</source>
        <translation>Clear (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="323" />
        <source>话费/直充 (F5)</source>
        <translation>Top-up (F5)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="324" />
        <source>作废上一单 (F7)</source>
        <translation>Void last (F7)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="325" />
        <source>锁屏 (F9)</source>
        <translation>Lock (F9)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="326" />
        <source>开钱箱</source>
        <translation>Open drawer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="328" />
        <source>后台 (F10)</source>
        <translation>Back office (F10)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="330" />
        <source>扫码收款 (F11)</source>
        <translation>Pay by QR (F11)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="427" />
        <source>{role}：{name}</source>
        <translation>{role}: {name}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="478" />
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="658" />
        <source>应收 ￥{v}</source>
        <translation>Total ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="660" />
        <source>这是付款码：按 Enter 向顾客收款</source>
        <translation>This is a payment code: press Enter to charge the customer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="663" />
        <source>这是商品码，不是金额：按 Enter 加入购物车</source>
        <translation>This is a product code, not an amount: Enter adds it to the cart</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="668" />
        <location filename="../../../kameng_desk/gui/main_window.py" line="737" />
        <source>收款金额格式不对</source>
        <translation>That is not an amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="671" />
        <source>找零 ￥{v}</source>
        <translation>Change ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="672" />
        <source>还差 ￥{v}</source>
        <translation>Short ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="714" />
        <source>这是顾客的付款码：请先把商品加入购物车，再扫付款码收款。</source>
        <translation>This is the customer's payment code: add the products to the cart first, then scan the payment code.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="798" />
        <source>正在换一种收款码…</source>
        <translation>Switching to another payment QR…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="885" />
        <source>付款码收款结果未知：联网后自动核对；未付款则卡密自动放回库存，顾客若已付款，平台会原路退回。</source>
        <translation>The payment code's outcome is unknown: it is checked automatically once online; if unpaid the codes go back into stock, and if the customer paid, the platform returns the money.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="893" />
        <source>付款失败，未扣款</source>
        <translation>Payment failed: nothing was charged</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="894" />
        <source>{why}卡密已放回库存。</source>
        <translation>{why} The codes are back in stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="896" />
        <source>收款已取消</source>
        <translation>Payment cancelled</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="896" />
        <source>未扣款，卡密已放回库存。</source>
        <translation>Nothing was charged; the codes are back in stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="898" />
        <source>顾客已付款，但订单已取消</source>
        <translation>The customer paid, but the order was cancelled</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="898" />
        <source>已标记退款，请处理。</source>
        <translation>Flagged for refund: please handle it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="903" />
        <source>这不是微信或支付宝的付款码：请顾客打开付款码重扫，或换一种付款方式。</source>
        <translation>This is not a WeChat or Alipay payment code: ask the customer to open their payment code and scan again, or pay another way.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="904" />
        <source>平台离线</source>
        <translation>the platform is offline</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="904" />
        <source>未配对平台</source>
        <translation>not paired with a platform</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="905" />
        <source>连不上平台</source>
        <translation>cannot reach the platform</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="906" />
        <source>付款码收款需要连接平台（{why}）：请让顾客扫店铺收款码（F11），或收现金。</source>
        <translation>Payment codes need the platform ({why}): let the customer scan the shop's QR (F11), or take cash.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="917" />
        <source>平台离线，不能生成动态收款码。</source>
        <translation>The platform is offline: no payment QR can be made.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="918" />
        <source>未配对平台，不能生成动态收款码。</source>
        <translation>Not paired with a platform: no payment QR can be made. </translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="792" />
        <source>正在连接平台，生成收款码…</source>
        <translation>Connecting to the platform for a payment QR…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="919" />
        <source>连不上平台，不能生成动态收款码。</source>
        <translation>The platform cannot be reached: no payment QR can be made. </translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="977" />
        <source>店铺收款码也未设置：请收现金。</source>
        <translation>The shop's own QR is not set up either: please take cash.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="944" />
        <source>可以用店铺收款码收款，或收现金。</source>
        <translation>Use the shop's own collection QR, or take cash.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="968" />
        <source>收款已取消，卡密已放回库存。</source>
        <translation>Payment cancelled; the codes are back in stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="969" />
        <source>顾客已付款但订单已取消：已标记退款，请处理。</source>
        <translation>The customer paid but the order was cancelled: flagged for refund.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="970" />
        <source>已请求取消。收款码显示过，顾客可能已付款：联网后自动核对，未付款则卡密自动放回库存，已付款会提示退款。</source>
        <translation>Cancel requested. The payment QR was shown, so the customer may have paid: once online the platform decides; if unpaid, the codes go back to stock automatically, if paid you are told to refund.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="972" />
        <source>扫码收款</source>
        <translation>Pay by QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1008" />
        <source>还没有充值商品：请联网同步商品目录。</source>
        <translation>No top-up products yet: connect to sync the catalog.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="426" />
        <source>店长</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="426" />
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="495" />
        <source>{name} 库存仅剩 {n} 张</source>
        <translation>{name}: only {n} left</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="496" />
        <source>，请补货</source>
        <translation>, please restock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="498" />
        <source>（F10 → 库存 → 补货建议）</source>
        <translation> (F10 → Stock → Restock suggestion)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="511" />
        <source>售罄</source>
        <translation>Sold out</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="511" />
        <source>库存低 {n}</source>
        <translation>Low: {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="512" />
        <source>库存 {n}</source>
        <translation>Stock {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="513" />
        <source>{name}
￥{price}  {count}</source>
        <translation>{name}
¥{price}  {count}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="545" />
        <source>有 {n} 个商品符合：用 ↑ ↓ 选择，按 Enter 加入。</source>
        <translation>{n} products match: choose with ↑ ↓, press Enter to add.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="550" />
        <source>没有找到商品“{code}”：请重扫，或按名称、拼音首字母搜索。</source>
        <translation>No product found for “{code}”: scan again, or search by name or pinyin initials.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="596" />
        <source>绑定条码（需店长 PIN）…</source>
        <translation>Attach barcode (owner PIN)…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="610" />
        <source>绑定条码：{name}</source>
        <translation>Attach barcode: {name}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="619" />
        <source>已绑定：扫条码 {code} 即加入“{name}”。</source>
        <translation>Attached: scanning {code} adds “{name}”.</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="49" />
        <source>屏幕 {n}：{name}（{w}×{h}）</source>
        <translation>Screen {n}: {name} ({w}×{h})</translation>
    </message>
</context>
<context>
    <name>CustomerDisplayWindow</name>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="128" />
        <source>顾客显示</source>
        <translation>Customer display</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="129" />
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="129" />
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="129" />
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="137" />
        <source>谢谢惠顾，欢迎再来</source>
        <translation>Thank you, please come again</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="141" />
        <source>欢迎光临</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="144" />
        <source>您的商品</source>
        <translation>Your items</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="145" />
        <source>合计 ￥{v}</source>
        <translation>Total ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="147" />
        <source>请扫码付款</source>
        <translation>Please scan to pay</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="148" />
        <location filename="../../../kameng_desk/gui/customer_display.py" line="154" />
        <source>应付 ￥{v}</source>
        <translation>To pay ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="138" />
        <location filename="../../../kameng_desk/gui/customer_display.py" line="171" />
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="138" />
        <location filename="../../../kameng_desk/gui/customer_display.py" line="171" />
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="150" />
        <source>支持 {apps} 扫码</source>
        <translation>Scan with {apps}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="151" />
        <source>请用手机扫码</source>
        <translation>Scan with your phone</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="153" />
        <source>请在手机上输入支付密码</source>
        <translation>Please enter your payment password on your phone</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="155" />
        <source>在{app}里确认付款</source>
        <translation>Confirm the payment in {app}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="156" />
        <source>在付款的手机上确认付款</source>
        <translation>Confirm the payment on the phone that pays</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="158" />
        <source>付款成功</source>
        <translation>Payment received</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="161" />
        <source>实收 ￥{r}　找零 ￥{c}</source>
        <translation>Received ¥{r}   Change ¥{c}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="166" />
        <source>退款成功</source>
        <translation>Refund done</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="167" />
        <source>已退款 ￥{v}</source>
        <translation>Refunded ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="171" />
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="172" />
        <source>扫码</source>
        <translation>QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/customer_display.py" line="173" />
        <source>{how}收款 ￥{v}</source>
        <translation>{how} payment ¥{v}</translation>
    </message>
</context>
<context>
    <name>FloatDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/shift_gate.py" line="25" />
        <location filename="../../../kameng_desk/gui/shift_gate.py" line="32" />
        <source>开班</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/shift_gate.py" line="28" />
        <source>备用金（元），没有请填 0</source>
        <translation>Float (yuan); enter 0 if none</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/shift_gate.py" line="33" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/shift_gate.py" line="37" />
        <source>还没有开班：请清点钱箱里的备用金，输入金额后开班。
开班后这笔现金销售才会计入交班。</source>
        <translation>No shift is open: count the float in the drawer and enter it to open a shift.
Then this cash sale is counted in the shift.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/shift_gate.py" line="61" />
        <source>备用金格式不对</source>
        <translation>The float is not a valid amount</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="178" />
        <source>卡盟收银台</source>
        <translation>Kameng Desk</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="187" />
        <source>输入 PIN 后按 Enter</source>
        <translation>Enter your PIN and press Enter</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="194" />
        <source>选择员工</source>
        <translation>Who are you?</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="205" />
        <source>店长</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="205" />
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="226" />
        <source>PIN 错误提醒</source>
        <translation>Wrong PIN alert</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="227" />
        <source>自您上次登录以来，PIN 输错 {n} 次，账号因此被锁定 {m} 次（含授权时输错的店长 PIN）。如不是店员手误，可能有人在猜 PIN：请查看“后台 → 审计日志”，必要时更换 PIN。</source>
        <translation>Since your last login, a wrong PIN was entered {n} time(s) and accounts were locked {m} time(s) (including wrong owner PINs in approvals). If this was not staff mistyping, someone may be guessing PINs: see Back office → Audit log, and change PINs if needed.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1101" />
        <source>卡盟收银台</source>
        <translation>Kameng Desk</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1105" />
        <source>打印队列</source>
        <translation>Print queue</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1107" />
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1108" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1132" />
        <source>钱箱已打开（已记录）</source>
        <translation>Drawer opened (recorded)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1136" />
        <source>开钱箱（无销售）</source>
        <translation>Open the drawer without a sale</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1147" />
        <source>充值单 {n} 已记录：排队中，会自动提交平台。</source>
        <translation>Top-up {n} recorded: queued, it goes to the platform automatically.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1165" />
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1166" />
        <source>数据已从备份恢复。收银台将关闭，请重新打开。</source>
        <translation>The data was restored from the backup. The counter closes now; please start it again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1221" />
        <source>未连接平台</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1226" />
        <source>未配对平台</source>
        <translation>Not paired</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1228" />
        <source>在线 · 待上传 {n} 单 · 上次同步 {t}</source>
        <translation>Online · {n} waiting · last sync {t}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1231" />
        <source>离线 · 待上传 {n} 单</source>
        <translation>Offline · {n} waiting</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1218" />
        <location filename="../../../kameng_desk/gui/main_window.py" line="1238" />
        <source>离线：订单保存在本机，联网后自动上传。</source>
        <translation>Offline: orders are kept here and uploaded when back online.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1240" />
        <source>平台拒绝了 {n} 个订单，请在订单记录中查看原因。</source>
        <translation>The platform rejected {n} order(s); see the order history for the reason.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1259" />
        <source>订单 {n}：{s}</source>
        <translation>Order {n}: {s}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1262" />
        <source>平台作废了一张已售出的卡密，已标记售后处理。</source>
        <translation>The platform revoked a code that was already sold; it is flagged for after-sales.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1263" />
        <source>平台作废了一张库存卡密，已隔离，不会售出。</source>
        <translation>The platform revoked a code in stock; it is quarantined and will not be sold.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1278" />
        <source>订单 {n}：￥{v} 已原路退回顾客，退款凭证已加入打印队列。</source>
        <translation>Order {n}: ¥{v} went back to the customer's payment; the refund slip is in the print queue.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1279" />
        <source>订单 {n}：原路退款 ￥{v} 未成功，钱没有退出。请在“后台 → 订单”中重试或改退现金。</source>
        <translation>Order {n}: the refund of ¥{v} to the payment failed; no money went back. Retry it in Back office → Orders, or give cash instead.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1295" />
        <source>作废订单 {n}</source>
        <translation>Void order {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1291" />
        <source>订单 {n} 已作废</source>
        <translation>Order {n} voided</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1224" />
        <source>同步出错 · 待上传 {n} 单</source>
        <translation>Sync error · {n} order(s) waiting</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1235" />
        <source>同步出错（{kind}），已记录到日志，稍后自动重试；订单保存在本机。</source>
        <translation>Sync error ({kind}), written to the log; retrying shortly. Orders are kept on this computer.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1246" />
        <source>扫码订单 {n} 已到账，销售完成：卡密小票已加入打印队列。</source>
        <translation>QR order {n} was paid: sale completed, its card slips are in the print queue.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1247" />
        <source>扫码订单 {n} 未付款，已取消：卡密已放回库存。</source>
        <translation>QR order {n} was not paid and is cancelled: its codes are back in stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1248" />
        <source>扫码订单 {n}：顾客已付款但订单已取消，已标记退款，请处理。</source>
        <translation>QR order {n}: the customer paid but the order was cancelled; flagged for refund, please handle it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1251" />
        <source>扫码收款</source>
        <translation>Pay by QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1217" />
        <location filename="../../../kameng_desk/gui/screenshots.py" line="126" />
        <source>已恢复联网，排队的订单正在上传。</source>
        <translation>Back online: queued orders are being uploaded.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1269" />
        <source>订单 {n} 被平台拒绝：{why}</source>
        <translation>Order {n} was refused by the platform: {why}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="1270" />
        <source>订单 {n} 被平台拒绝：请在“后台 → 订单”中查看原因，并告诉运营方。</source>
        <translation>Order {n} was rejected by the platform: see why in Back office → Orders, and tell the operator.</translation>
    </message>
</context>
<context>
    <name>OwnerPinDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="312" />
        <source>店长授权</source>
        <translation>Owner approval</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="314" />
        <source>“{a}”需要店长授权</source>
        <translation>“{a}” needs the owner's approval</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="322" />
        <source>店长</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="323" />
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="334" />
        <source>请输入 PIN。</source>
        <translation>Enter the PIN.</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="124" />
        <source>收款码还在等顾客扫码。顾客要出示付款码的话，请先按 Esc 取消收款码，再扫付款码。</source>
        <translation>The QR is still waiting for the customer. To take their payment code instead, press Esc to cancel the QR first, then scan the code.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="84" />
        <source>扫码付款 — 订单 {n}</source>
        <translation>Pay by QR — order {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="86" />
        <source>￥{v}</source>
        <translation>¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="96" />
        <source>无法连接平台，不能生成收款码。
请收现金，或使用店铺收款码并确认到账。</source>
        <translation>The platform cannot be reached, so no payment QR.
Take cash, or use the shop's own QR and confirm the money arrived.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="110" />
        <source>等待顾客扫码付款…</source>
        <translation>Waiting for the customer to scan and pay…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="117" />
        <source>取消收款 (Esc)</source>
        <translation>Cancel payment (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="142" />
        <source>顾客要用别的 App 付款？按 {key} 换成{apps}收款码</source>
        <translation>Customer paying with another app? Press {key} for the {apps} QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="162" />
        <source>剩余 {m}:{s:02d}</source>
        <translation>{m}:{s:02d} left</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="178" />
        <source>已付款</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="184" />
        <source>查询失败，稍后重试…</source>
        <translation>Could not check; trying again…</translation>
    </message>
</context>
<context>
    <name>PlatformPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="61" />
        <source>连接平台</source>
        <translation>Connect to the platform</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="62" />
        <source>填写平台地址和配对码（向平台运营方索取）。也可以以后在“后台 → 设置”中配对。</source>
        <translation>Enter the platform address and the pairing code (ask the platform operator). You can also pair later in Back office → Settings.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="64" />
        <source>现在配对</source>
        <translation>Pair now</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="65" />
        <source>以后再配对（先离线使用）</source>
        <translation>Pair later (work offline for now)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="73" />
        <source>平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="74" />
        <source>配对码</source>
        <translation>Pairing code</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="89" />
        <source>请填写平台地址和配对码，或选择以后再配对。</source>
        <translation>Enter the platform address and the pairing code, or choose to pair later.</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="101" />
        <source>微信支付</source>
        <translation>WeChat Pay</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="101" />
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="101" />
        <source>易支付</source>
        <translation>epay (易支付)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="102" />
        <source>沙箱</source>
        <translation>sandbox</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="102" />
        <source>付款码</source>
        <translation>payment code</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="48" />
        <source>退款 {n}</source>
        <translation>Refund {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="53" />
        <source>{name} ×{q}  ￥{v}</source>
        <translation>{name} ×{q}  ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="69" />
        <source>例如：顾客买错了</source>
        <translation>e.g. the customer bought the wrong card</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="74" />
        <source>可退金额</source>
        <translation>Refundable</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="75" />
        <source>退款金额</source>
        <translation>Refund amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="76" />
        <source>退款方式</source>
        <translation>Refund to</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="77" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="78" />
        <source>卡密销售整单退款：卡密全部放回库存，订单作废。</source>
        <translation>A card sale is refunded whole: all its codes go back on the shelf and the order is voided.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="79" />
        <source>可勾选要退的商品，或直接输入金额（不超过可退金额）。</source>
        <translation>Tick the lines to refund, or type an amount (up to what is refundable).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="82" />
        <source>退款 (店长授权)</source>
        <translation>Refund (owner approves)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="85" />
        <source>订单 {n} · 金额 ￥{v}</source>
        <translation>Order {n} · amount ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="99" />
        <source>现金（从钱箱退给顾客）</source>
        <translation>Cash (from the drawer to the customer)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="104" />
        <source>原路退回顾客的付款账户（{app}）</source>
        <translation>Back to the customer's payment account ({app})</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="120" />
        <source>金额应大于 0，且不超过可退的 ￥{v}。</source>
        <translation>The amount must be more than 0 and at most the refundable ¥{v}.</translation>
    </message>
</context>
<context>
    <name>RefundFlow</name>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="168" />
        <source>退款 {n}：￥{v}</source>
        <translation>Refund {n}: ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="177" />
        <source>平台暂时连不上：原路退款需要平台，这笔退款没有办理。请稍后再试，或从钱箱退现金 ￥{v}。</source>
        <translation>The platform cannot be reached: a refund to the customer's payment needs it, so nothing was refunded. Try again later, or give ¥{v} cash from the drawer.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="181" />
        <source>订单 {n} 已退款 ￥{v}（{how}）。</source>
        <translation>Order {n}: ¥{v} refunded ({how}).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="183" />
        <source>订单 {n} 的退款 ￥{v} 已交给平台，正在退回顾客的付款账户；完成后自动打印退款凭证。请勿再退现金。</source>
        <translation>The refund of ¥{v} for order {n} is with the platform and on its way back to the customer's payment account; the refund slip prints when it is done. Do not give cash as well.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="187" />
        <source>顾客的支付方式不支持原路退款。改为从钱箱退现金 ￥{v}？</source>
        <translation>The customer's payment method cannot be refunded. Give ¥{v} cash from the drawer instead?</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="190" />
        <source>原路退款失败（{why}），钱没有退出。改为从钱箱退现金 ￥{v}？</source>
        <translation>The refund to the payment failed ({why}); no money went back. Give ¥{v} cash from the drawer instead?</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="195" />
        <source>订单 {n} 已从钱箱退现金 ￥{v}。</source>
        <translation>Order {n}: ¥{v} cash given back from the drawer.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="198" />
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="198" />
        <source>现金代退</source>
        <translation>Cash instead</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="199" />
        <source>原路退回</source>
        <translation>Back to the payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="202" />
        <source>退款</source>
        <translation>Refund</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="205" />
        <source>退现金</source>
        <translation>Give cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/refund_dialog.py" line="206" />
        <source>暂不退款</source>
        <translation>Not now</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="106" />
        <source>卡盟收银台 — 首次设置</source>
        <translation>Kameng Desk — first-time setup</translation>
    </message>
</context>
<context>
    <name>ShopPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="26" />
        <source>欢迎使用卡盟收银台</source>
        <translation>Welcome to Kameng Desk</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="27" />
        <source>先填写店名和店长账户。店长 PIN 用于登录和授权作废、退款、重印等操作。</source>
        <translation>First the shop's name and the owner's account. The owner's PIN logs in and approves voids, refunds and reprints.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="32" />
        <source>4 到 8 位数字</source>
        <translation>4 to 8 digits</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="34" />
        <source>先试用演示（不保存）</source>
        <translation>Try the demo first (nothing is kept)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="36" />
        <source>店名</source>
        <translation>Shop name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="37" />
        <source>店长姓名</source>
        <translation>Owner's name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="38" />
        <source>店长 PIN</source>
        <translation>Owner's PIN</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="39" />
        <source>再输一次 PIN</source>
        <translation>PIN again</translation>
    </message>
</context>
<context>
    <name>StaticQrDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="77" />
        <source>店铺收款码</source>
        <translation>Shop collection QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="82" />
        <source>￥{v}</source>
        <translation>¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="84" />
        <source>请顾客扫码付款。在店铺手机上看到到账 ￥{v} 后，再按住“收到款项”1 秒。</source>
        <translation>Ask the customer to scan and pay. Only after the shop's phone shows ¥{v} received, hold "Payment received" for 1 second.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="87" />
        <source>按住 1 秒：收到款项</source>
        <translation>Hold 1 s: Payment received</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="105" />
        <source>请按住“收到款项”1 秒（鼠标或空格键），进度条满了才确认。</source>
        <translation>Hold "Payment received" for 1 second (mouse or Space): it confirms only when the bar is full.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="89" />
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>TopupDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="192" />
        <source>话费 / 游戏直充</source>
        <translation>Phone / game top-up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="201" />
        <source>手机号或游戏账号</source>
        <translation>Mobile number or game account</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="207" />
        <source>收款金额（元），留空为正好</source>
        <translation>Cash received (yuan); empty = exact</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="210" />
        <source>面值</source>
        <translation>Face value</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="211" />
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="213" />
        <source>收款</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="217" />
        <source>确认充值</source>
        <translation>Top up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="218" />
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="214" />
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="247" />
        <source>还差 {n} 位</source>
        <translation>{n} more digits</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="251" />
        <source>账号格式正确</source>
        <translation>Account format is valid</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="256" />
        <source>这是扫码枪扫入的：核对号码后再按回车</source>
        <translation>This was scanned: check the number, then press Enter</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="262" />
        <source>这是商品码，不是金额</source>
        <translation>This is a product code, not an amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="267" />
        <source>收款金额格式不对</source>
        <translation>The cash amount is not a valid amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="271" />
        <source>找零 ￥{v} 不合理：收款最多比应收多 ￥{m}</source>
        <translation>¥{v} change is not plausible: cash may exceed the price by ¥{m} at most</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="274" />
        <source>￥{v}</source>
        <translation>¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="275" />
        <source>还差 ￥{v}</source>
        <translation>¥{v} short</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="69" />
        <location filename="../../../kameng_desk/gui/app.py" line="115" />
        <source>卡盟收银台</source>
        <translation>Kameng Desk</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="70" />
        <source>意外错误（{kind}），已记录到日志。已保存的销售不受影响。</source>
        <translation>Unexpected error ({kind}), written to the log. Recorded sales are not affected.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="116" />
        <source>收银台无法打开本机数据库，数据没有任何改动。</source>
        <translation>The counter cannot open its local database; nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="132" />
        <source>演示模式：{c} PIN {cp}，{o} PIN {op}</source>
        <translation>Demo: {c} PIN {cp}, {o} PIN {op}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="152" />
        <source>收银台已在运行（同一数据目录只能打开一个）。</source>
        <translation>The counter is already running for this data folder.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/screenshots.py" line="158" />
        <location filename="../../../kameng_desk/gui/screenshots.py" line="273" />
        <source>星星网吧</source>
        <translation>Star Internet Café</translation>
    </message>
</context>
</TS>