<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="31"/>
        <source>配对尝试次数过多，请 {n} 分钟后再试。</source>
        <translation>Too many pairing attempts; try again in {n} minutes.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="32"/>
        <source>配对尝试次数过多，请稍后再试。</source>
        <translation>Too many pairing attempts; try again later.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="34"/>
        <source>配对码无效或已过期，请向运营方索取新的配对码。</source>
        <translation>The pairing code is wrong or has expired; ask the operator for a new one.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="35"/>
        <source>平台上此商品已无库存，请联系运营方补货。</source>
        <translation>The platform has no stock of this product; ask the operator to restock it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="36"/>
        <source>平台账户余额不足，请先向运营方充值。</source>
        <translation>The platform balance is too low; top up your account with the operator first.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="37"/>
        <source>此商品在平台上已停售。</source>
        <translation>This product is no longer sold on the platform.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="38"/>
        <source>平台上没有此商品，请同步后再试。</source>
        <translation>The platform does not know this product; sync and try again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="39"/>
        <source>此收款码已过期，请重新发起收款。</source>
        <translation>This payment QR has expired; start the payment again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="40"/>
        <source>此笔扫码收款已取消。</source>
        <translation>This QR payment was cancelled.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="48"/>
        <source>库存不足：{name} 需要 {wanted} 张，只有 {available} 张。未售出任何卡密。</source>
        <translation>Not enough stock: {name} needs {wanted}, only {available} left. Nothing was sold.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="51"/>
        <source>PIN 错误，还可尝试 {n} 次。</source>
        <translation>Wrong PIN. {n} attempt(s) left.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="53"/>
        <source>PIN 错误次数过多，账号已锁定，请 {n} 分钟后再试（收银台关闭或修改系统时间期间不计时）。</source>
        <translation>Too many wrong PINs: this account is locked. Try again in {n} minute(s) (the lock does not count down while the desk is closed or after the system clock is changed).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="56"/>
        <source>请输入 PIN。</source>
        <translation>Enter the PIN.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="58"/>
        <source>此账号已停用，请联系店长。</source>
        <translation>This account is disabled. Ask the owner.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="60"/>
        <source>磁盘已满，本次操作未保存（之前的记录都在）。请清理磁盘后重试。</source>
        <translation>The disk is full: this was not saved (earlier records are safe). Free some space and try again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="62"/>
        <source>收款金额不足。</source>
        <translation>The cash received is less than the total.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="64"/>
        <source>购物车是空的。</source>
        <translation>The cart is empty.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="66"/>
        <source>{name} 已停售。</source>
        <translation>{name} is no longer on sale.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="68"/>
        <source>号码或账号无效：{detail}</source>
        <translation>Invalid number or account: {detail}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="70"/>
        <source>此操作需要店长授权。</source>
        <translation>This needs the owner&apos;s approval.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="72"/>
        <source>不能作废：这笔销售的卡密已显示或已开始打印，顾客可能已拿到卡密，卡密不能再放回库存。卡密有问题时请按售后处理。</source>
        <translation>Cannot void: the codes of this sale were already shown or sent to the printer, so the customer may have them and they cannot go back on sale. If a code does not work, handle it as an after-sales case.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="75"/>
        <source>这笔订单已作废、已取消或未付款，不能显示卡密。</source>
        <translation>This order was voided, cancelled or not paid: its codes cannot be shown.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="77"/>
        <source>不能作废：{detail}</source>
        <translation>Cannot void: {detail}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="79"/>
        <source>不能退款：{detail}</source>
        <translation>Cannot refund: {detail}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="81"/>
        <source>当前没有开班：请先在“后台 → 交班”中开班。</source>
        <translation>No shift is open: open one in Back office → Shifts first.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="83"/>
        <source>请填写店名（会打印在每张小票上）。</source>
        <translation>Enter the shop&apos;s name (it is printed on every receipt).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="83"/>
        <source>请填写店长姓名。</source>
        <translation>Enter the owner&apos;s name.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="84"/>
        <location filename="../../../kameng_desk/gui/messages.py" line="90"/>
        <source>PIN 为 4 到 8 位数字。</source>
        <translation>A PIN has 4 to 8 digits.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="84"/>
        <source>两次输入的 PIN 不一致。</source>
        <translation>The two PINs are different.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="86"/>
        <source>此收银台已设置过，请用店长账号登录后修改。</source>
        <translation>This counter is already set up: log in as the owner to change it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="88"/>
        <source>店名不能为空，最多 40 个字。</source>
        <translation>The shop name must not be empty (at most 40 characters).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="88"/>
        <source>小票抬头最多 200 个字。</source>
        <translation>The receipt header has at most 200 characters.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="89"/>
        <source>自动锁屏时间为 1 到 120 分钟。</source>
        <translation>Auto-lock is 1 to 120 minutes.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="89"/>
        <source>不支持这种语言。</source>
        <translation>This language is not supported.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="90"/>
        <source>请填写员工姓名。</source>
        <translation>Enter the person&apos;s name.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="92"/>
        <source>不能停用最后一位店长：否则没人能授权作废或修改设置。</source>
        <translation>The last owner cannot be disabled: nobody could approve voids or change settings.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="94"/>
        <source>还有 {n} 个订单没上传到平台：请先同步，再解除配对。</source>
        <translation>{n} order(s) have not reached the platform yet: sync first, then un-pair.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="96"/>
        <source>无法连接平台：订单保存在本机，联网后自动上传。</source>
        <translation>Platform unreachable: orders are kept here and uploaded when back online.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="98"/>
        <source>本机时间偏差超过 5 分钟，请校正日期和时间。</source>
        <translation>This computer&apos;s clock is off by more than 5 minutes; set the date and time.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="100"/>
        <source>平台已停用此收银台，请向运营方索取新的配对码。</source>
        <translation>The platform revoked this counter; ask the operator for a new pairing code.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="102"/>
        <source>平台拒绝了此操作（{code}），请把这段代码告诉运营方。</source>
        <translation>The platform refused this ({code}); tell the operator this code.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/messages.py" line="105"/>
        <source>意外错误：{kind}。已记录的销售不受影响。</source>
        <translation>Unexpected error: {kind}. Recorded sales are safe.</translation>
    </message>
    <message>
        <source>收款 ￥{r} 不合理：最多比应收 ￥{t} 多 ￥{m}。请核对金额（扫码请扫到搜索框）。未记录任何销售。</source>
        <translation>Cash received ¥{r} is not plausible: at most ¥{m} more than the total ¥{t}. Check the amount (scan codes into the search box). Nothing was recorded.</translation>
    </message>
    <message>
        <source>这笔扫码收款正在收银台上进行：请在收银台取消。</source>
        <translation>This QR payment is open at the counter: cancel it there.</translation>
    </message>
    <message>
        <source>这笔订单没有未付款的扫码收款可以取消（已付款或已取消）。</source>
        <translation>This order has no unpaid QR payment to cancel (it was paid or cancelled).</translation>
    </message>
</context>
<context>
    <name>CodesDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="39"/>
        <source>卡密 — 订单 {n}</source>
        <translation>Card codes — order {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="43"/>
        <source>找零 ￥{v}</source>
        <translation>Change ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="51"/>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="58"/>
        <source>显示卡密 (Enter)</source>
        <translation>Show codes (Enter)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="62"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="76"/>
        <source>卡号 {v}</source>
        <translation>No. {v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="77"/>
        <source>卡密 {v}</source>
        <translation>PIN {v}</translation>
    </message>
</context>
<context>
    <name>CounterPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="161"/>
        <source>搜索商品：名称、拼音首字母（如 qb）或扫码</source>
        <translation>Search: name, pinyin initials (e.g. qb) or scan</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="180"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="180"/>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="180"/>
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="180"/>
        <source>小计</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="189"/>
        <source>收款（元），留空为正好</source>
        <translation>Cash received (yuan); empty = exact</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="194"/>
        <source>收款结账 (F12)</source>
        <translation>Take cash (F12)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="197"/>
        <source>清空 (Esc)</source>
        <translation>Clear (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="199"/>
        <source>话费/直充 (F5)</source>
        <translation>Top-up (F5)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="200"/>
        <source>作废上一单 (F7)</source>
        <translation>Void last (F7)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="201"/>
        <source>锁屏 (F9)</source>
        <translation>Lock (F9)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="202"/>
        <source>开钱箱</source>
        <translation>Open drawer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="204"/>
        <source>后台 (F10)</source>
        <translation>Back office (F10)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="206"/>
        <source>扫码收款 (F11)</source>
        <translation>Pay by QR (F11)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="268"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="287"/>
        <source>{name}
￥{price}  库存 {n}</source>
        <translation>{name}
¥{price}  stock {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="339"/>
        <source>应收 ￥{v}</source>
        <translation>Total ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="343"/>
        <location filename="../../../kameng_desk/gui/main_window.py" line="355"/>
        <location filename="../../../kameng_desk/gui/main_window.py" line="475"/>
        <source>收款金额格式不对</source>
        <translation>That is not an amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="346"/>
        <source>找零 ￥{v}</source>
        <translation>Change ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="347"/>
        <source>还差 ￥{v}</source>
        <translation>Short ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="372"/>
        <source>未配对平台，不能生成动态收款码。</source>
        <translation>Not paired with a platform: no payment QR can be made. </translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="382"/>
        <location filename="../../../kameng_desk/gui/main_window.py" line="392"/>
        <location filename="../../../kameng_desk/gui/screenshots.py" line="105"/>
        <source>连不上平台，不能生成动态收款码。</source>
        <translation>The platform cannot be reached: no payment QR can be made. </translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="415"/>
        <source>店铺收款码也未设置：请收现金。</source>
        <translation>The shop&apos;s own QR is not set up either: please take cash.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="418"/>
        <source>可以用店铺收款码收款，或收现金。</source>
        <translation>Use the shop&apos;s own collection QR, or take cash.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="431"/>
        <source>收款已取消，卡密已放回库存。</source>
        <translation>Payment cancelled; the codes are back in stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="432"/>
        <source>顾客已付款但订单已取消：已标记退款，请处理。</source>
        <translation>The customer paid but the order was cancelled: flagged for refund.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="433"/>
        <source>已请求取消。收款码显示过，顾客可能已付款：联网后自动核对，未付款则卡密自动放回库存，已付款会提示退款。</source>
        <translation>Cancel requested. The payment QR was shown, so the customer may have paid: once online the platform decides; if unpaid, the codes go back to stock automatically, if paid you are told to refund.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="434"/>
        <source>扫码收款</source>
        <translation>Pay by QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="456"/>
        <source>未完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="463"/>
        <source>还没有充值商品：请联网同步商品目录。</source>
        <translation>No top-up products yet: connect to sync the catalog.</translation>
    </message>
    <message>
        <source>正好</source>
        <translation>Exact</translation>
    </message>
    <message>
        <source>收 ￥{v}</source>
        <translation>¥{v} given</translation>
    </message>
    <message>
        <source>核对收款</source>
        <translation>Check the cash</translation>
    </message>
    <message>
        <source>收款 ￥{r}，应收 ￥{t}，要找零 ￥{c}：比一张 ￥100 还多。
确实收到这么多现金吗？</source>
        <translation>Received ¥{r} for a total of ¥{t}: ¥{c} change, more than a ¥100 note.
Did you really receive this much cash?</translation>
    </message>
    <message>
        <source>确认收款 (&amp;Y)</source>
        <translation>Confirm cash (&amp;Y)</translation>
    </message>
    <message>
        <source>返回修改 (Esc)</source>
        <translation>Go back (Esc)</translation>
    </message>
    <message>
        <source>平台离线，不能生成动态收款码。</source>
        <translation>The platform is offline: no payment QR can be made.</translation>
    </message>
    <message>
        <source>正在连接平台，生成收款码…</source>
        <translation>Connecting to the platform for a payment QR…</translation>
    </message>
    <message>
        <source>这是商品码，不是金额：按 Enter 加入购物车</source>
        <translation>This is a product code, not an amount: Enter adds it to the cart</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="91"/>
        <source>卡盟收银台</source>
        <translation>Kameng Desk</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="100"/>
        <source>输入 PIN 后按 Enter</source>
        <translation>Enter your PIN and press Enter</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="107"/>
        <source>选择员工</source>
        <translation>Who are you?</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="118"/>
        <source>店长</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="118"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="139"/>
        <source>PIN 错误提醒</source>
        <translation>Wrong PIN alert</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="140"/>
        <source>自您上次登录以来，PIN 输错 {n} 次，账号因此被锁定 {m} 次（含授权时输错的店长 PIN）。如不是店员手误，可能有人在猜 PIN：请查看“后台 → 审计日志”，必要时更换 PIN。</source>
        <translation>Since your last login, a wrong PIN was entered {n} time(s) and accounts were locked {m} time(s) (including wrong owner PINs in approvals). If this was not staff mistyping, someone may be guessing PINs: see Back office → Audit log, and change PINs if needed.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="537"/>
        <source>卡盟收银台</source>
        <translation>Kameng Desk</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="541"/>
        <source>打印队列</source>
        <translation>Print queue</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="543"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="544"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="568"/>
        <source>钱箱已打开（已记录）</source>
        <translation>Drawer opened (recorded)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="572"/>
        <source>开钱箱（无销售）</source>
        <translation>Open the drawer without a sale</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="578"/>
        <source>充值单 {n} 已记录：排队中，会自动提交平台。</source>
        <translation>Top-up {n} recorded: queued, it goes to the platform automatically.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="597"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="598"/>
        <source>数据已从备份恢复。收银台将关闭，请重新打开。</source>
        <translation>The data was restored from the backup. The counter closes now; please start it again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="644"/>
        <source>未连接平台</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="649"/>
        <source>未配对平台</source>
        <translation>Not paired</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="651"/>
        <source>在线 · 待上传 {n} 单 · 上次同步 {t}</source>
        <translation>Online · {n} waiting · last sync {t}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="654"/>
        <source>离线 · 待上传 {n} 单</source>
        <translation>Offline · {n} waiting</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="661"/>
        <source>离线：订单保存在本机，联网后自动上传。</source>
        <translation>Offline: orders are kept here and uploaded when back online.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="663"/>
        <source>平台拒绝了 {n} 个订单，请在订单记录中查看原因。</source>
        <translation>The platform rejected {n} order(s); see the order history for the reason.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="682"/>
        <source>已提交</source>
        <translation>submitted</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="682"/>
        <source>充值成功</source>
        <translation>top-up succeeded</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="683"/>
        <source>充值失败，已退款</source>
        <translation>top-up failed, refunded</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="683"/>
        <source>排队中</source>
        <translation>queued</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="684"/>
        <source>订单 {n}：{s}</source>
        <translation>Order {n}: {s}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="687"/>
        <source>平台作废了一张已售出的卡密，已标记售后处理。</source>
        <translation>The platform revoked a code that was already sold; it is flagged for after-sales.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="688"/>
        <source>平台作废了一张库存卡密，已隔离，不会售出。</source>
        <translation>The platform revoked a code in stock; it is quarantined and will not be sold.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="691"/>
        <source>订单 {n} 被平台拒绝：{r}</source>
        <translation>Order {n} rejected by the platform: {r}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="709"/>
        <source>作废订单 {n}</source>
        <translation>Void order {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="704"/>
        <source>订单 {n} 已作废</source>
        <translation>Order {n} voided</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="647"/>
        <source>同步出错 · 待上传 {n} 单</source>
        <translation>Sync error · {n} order(s) waiting</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="658"/>
        <source>同步出错（{kind}），已记录到日志，稍后自动重试；订单保存在本机。</source>
        <translation>Sync error ({kind}), written to the log; retrying shortly. Orders are kept on this computer.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="669"/>
        <source>扫码订单 {n} 已到账，销售完成：卡密小票已加入打印队列。</source>
        <translation>QR order {n} was paid: sale completed, its card slips are in the print queue.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="670"/>
        <source>扫码订单 {n} 未付款，已取消：卡密已放回库存。</source>
        <translation>QR order {n} was not paid and is cancelled: its codes are back in stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="671"/>
        <source>扫码订单 {n}：顾客已付款但订单已取消，已标记退款，请处理。</source>
        <translation>QR order {n}: the customer paid but the order was cancelled; flagged for refund, please handle it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/main_window.py" line="674"/>
        <source>扫码收款</source>
        <translation>Pay by QR</translation>
    </message>
</context>
<context>
    <name>OwnerPinDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="138"/>
        <source>店长授权</source>
        <translation>Owner approval</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="140"/>
        <source>“{a}”需要店长授权</source>
        <translation>“{a}” needs the owner&apos;s approval</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="147"/>
        <source>店长</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="148"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>请输入 PIN。</source>
        <translation>Enter the PIN.</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="47"/>
        <source>扫码付款 — 订单 {n}</source>
        <translation>Pay by QR — order {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="49"/>
        <source>￥{v}</source>
        <translation>¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="59"/>
        <source>无法连接平台，不能生成收款码。
请收现金，或使用店铺收款码并确认到账。</source>
        <translation>The platform cannot be reached, so no payment QR.
Take cash, or use the shop&apos;s own QR and confirm the money arrived.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="61"/>
        <source>等待顾客扫码付款…</source>
        <translation>Waiting for the customer to scan and pay…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="67"/>
        <source>取消收款 (Esc)</source>
        <translation>Cancel payment (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="80"/>
        <source>剩余 {m}:{s:02d}</source>
        <translation>{m}:{s:02d} left</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="94"/>
        <source>已付款</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/payment_dialog.py" line="100"/>
        <source>查询失败，稍后重试…</source>
        <translation>Could not check; trying again…</translation>
    </message>
</context>
<context>
    <name>PlatformPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="60"/>
        <source>连接平台</source>
        <translation>Connect to the platform</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="61"/>
        <source>填写平台地址和配对码（向平台运营方索取）。也可以以后在“后台 → 设置”中配对。</source>
        <translation>Enter the platform address and the pairing code (ask the platform operator). You can also pair later in Back office → Settings.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="63"/>
        <source>现在配对</source>
        <translation>Pair now</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="64"/>
        <source>以后再配对（先离线使用）</source>
        <translation>Pair later (work offline for now)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="72"/>
        <source>平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="73"/>
        <source>配对码</source>
        <translation>Pairing code</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="87"/>
        <source>请填写平台地址和配对码，或选择以后再配对。</source>
        <translation>Enter the platform address and the pairing code, or choose to pair later.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="104"/>
        <source>卡盟收银台 — 首次设置</source>
        <translation>Kameng Desk — first-time setup</translation>
    </message>
</context>
<context>
    <name>ShopPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="25"/>
        <source>欢迎使用卡盟收银台</source>
        <translation>Welcome to Kameng Desk</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="26"/>
        <source>先填写店名和店长账户。店长 PIN 用于登录和授权作废、退款、重印等操作。</source>
        <translation>First the shop&apos;s name and the owner&apos;s account. The owner&apos;s PIN logs in and approves voids, refunds and reprints.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="31"/>
        <source>4 到 8 位数字</source>
        <translation>4 to 8 digits</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="33"/>
        <source>先试用演示（不保存）</source>
        <translation>Try the demo first (nothing is kept)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="35"/>
        <source>店名</source>
        <translation>Shop name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="36"/>
        <source>店长姓名</source>
        <translation>Owner&apos;s name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="37"/>
        <source>店长 PIN</source>
        <translation>Owner&apos;s PIN</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/first_run_wizard.py" line="38"/>
        <source>再输一次 PIN</source>
        <translation>PIN again</translation>
    </message>
</context>
<context>
    <name>StaticQrDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="38"/>
        <source>店铺收款码</source>
        <translation>Shop collection QR</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="43"/>
        <source>￥{v}</source>
        <translation>¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="45"/>
        <source>请顾客扫码付款。在店铺手机上看到到账 ￥{v} 后，再按住“收到款项”1 秒。</source>
        <translation>Ask the customer to scan and pay. Only after the shop&apos;s phone shows ¥{v} received, hold &quot;Payment received&quot; for 1 second.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="48"/>
        <source>按住 1 秒：收到款项</source>
        <translation>Hold 1 s: Payment received</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/static_qr_dialog.py" line="49"/>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>请按住“收到款项”1 秒（鼠标或空格键），进度条满了才确认。</source>
        <translation>Hold &quot;Payment received&quot; for 1 second (mouse or Space): it confirms only when the bar is full.</translation>
    </message>
</context>
<context>
    <name>TopupDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="95"/>
        <source>话费 / 游戏直充</source>
        <translation>Phone / game top-up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="103"/>
        <source>手机号或游戏账号</source>
        <translation>Mobile number or game account</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="106"/>
        <source>收款金额（元），留空为正好</source>
        <translation>Cash received (yuan); empty = exact</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="107"/>
        <source>面值</source>
        <translation>Face value</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="108"/>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="110"/>
        <source>收款</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="112"/>
        <source>确认充值</source>
        <translation>Top up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="113"/>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/dialogs.py" line="130"/>
        <source>号码无效</source>
        <translation>Invalid number</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="63"/>
        <location filename="../../../kameng_desk/gui/app.py" line="116"/>
        <source>卡盟收银台</source>
        <translation>Kameng Desk</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="64"/>
        <source>意外错误（{kind}），已记录到日志。已保存的销售不受影响。</source>
        <translation>Unexpected error ({kind}), written to the log. Recorded sales are not affected.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="117"/>
        <source>收银台无法打开本机数据库，数据没有任何改动。</source>
        <translation>The counter cannot open its local database; nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="173"/>
        <location filename="../../../kameng_desk/gui/screenshots.py" line="43"/>
        <source>演示模式：{c} PIN {cp}，{o} PIN {op}</source>
        <translation>Demo: {c} PIN {cp}, {o} PIN {op}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/app.py" line="145"/>
        <source>收银台已在运行（同一数据目录只能打开一个）。</source>
        <translation>The counter is already running for this data folder.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/screenshots.py" line="119"/>
        <source>星星网吧</source>
        <translation>Star Internet Café</translation>
    </message>
</context>
</TS>
