<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="21"/>
        <source>修改售价</source>
        <translation>Retail price changed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="21"/>
        <source>补货</source>
        <translation>Restock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="21"/>
        <source>自动补货</source>
        <translation>Auto restock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="22"/>
        <source>设置自动补货</source>
        <translation>Set auto restock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="22"/>
        <source>修改自动补货预算</source>
        <translation>Change auto restock budget</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="23"/>
        <source>卖卡</source>
        <translation>Card sale</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="23"/>
        <source>直充</source>
        <translation>Top-up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="23"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="23"/>
        <source>退款</source>
        <translation>Refund</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="24"/>
        <source>申请退款</source>
        <translation>Refund requested</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="24"/>
        <source>退款未成功</source>
        <translation>Refund not done</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="25"/>
        <source>重印</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="25"/>
        <source>显示卡密</source>
        <translation>Codes shown</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="25"/>
        <source>登录</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="25"/>
        <source>开班</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="26"/>
        <source>开钱箱</source>
        <translation>Drawer opened</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="26"/>
        <source>修改预警值</source>
        <translation>Threshold changed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="26"/>
        <source>交班结算</source>
        <translation>Shift closed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="27"/>
        <source>标记退款</source>
        <translation>Refund flagged</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="27"/>
        <source>修改设置</source>
        <translation>Settings changed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="27"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="29"/>
        <source>收到款项</source>
        <translation>Payment received</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="29"/>
        <source>首次设置</source>
        <translation>First-time setup</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="29"/>
        <source>配对平台</source>
        <translation>Pair with a platform</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="30"/>
        <source>解除配对</source>
        <translation>Un-pair</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="30"/>
        <source>添加员工</source>
        <translation>Add staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="30"/>
        <source>停用员工</source>
        <translation>Disable staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="31"/>
        <source>启用员工</source>
        <translation>Enable staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="31"/>
        <source>重置 PIN</source>
        <translation>Reset PIN</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="31"/>
        <source>备份数据</source>
        <translation>Back up the data</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="32"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="32"/>
        <source>更换数据库密钥</source>
        <translation>Rotate the database key</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="33"/>
        <source>PIN 错误</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="33"/>
        <source>PIN 锁定</source>
        <translation>PIN lockout</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="38"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="38"/>
        <source>昨天</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="38"/>
        <source>近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="38"/>
        <source>近 30 天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="39"/>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="39"/>
        <source>全部日期</source>
        <translation>All dates</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="39"/>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="123"/>
        <source>后台</source>
        <translation>Back office</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="138"/>
        <source>此页面仅店长可查看。</source>
        <translation>Only the owner can view this page.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/common.py" line="140"/>
        <source>店长授权查看</source>
        <translation>Owner PIN to view</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="37"/>
        <source>单号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="37"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="37"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="37"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="37"/>
        <source>支付方式</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="37"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="37"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="37"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="158"/>
        <source>（已退 ￥{v}）</source>
        <translation> (¥{v} refunded)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="42"/>
        <source>{n} 元</source>
        <translation>{n} yuan</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="42"/>
        <source>{n} 角</source>
        <translation>{n} jiao</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="37"/>
        <source>无法连接平台，补货未完成。已收到的卡密已保存，联网后可再补。</source>
        <translation>Cannot reach the platform: the restock is not finished. Codes already received are kept; restock again when online.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="39"/>
        <source>未配对平台，不能补货。</source>
        <translation>Not paired with a platform: cannot restock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="40"/>
        <source>补货未完成：{reason}</source>
        <translation>Restock not finished: {reason}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="28"/>
        <source>取消扫码收款</source>
        <translation>QR payment cancelled</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="28"/>
        <source>扫码未付款，卡密回库</source>
        <translation>QR not paid, codes back in stock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="34"/>
        <source>绑定条码</source>
        <translation>Attach barcode</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="51"/>
        <source>序号</source>
        <translation>Seq</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="51"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="51"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="51"/>
        <source>员工</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="51"/>
        <source>授权人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="52"/>
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="53"/>
        <source>校验完整性</source>
        <translation>Verify integrity</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="56"/>
        <source>加载更早的记录</source>
        <translation>Load older entries</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="69"/>
        <source>查看审计日志</source>
        <translation>View the audit log</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="105"/>
        <source>校验中…</source>
        <translation>Verifying…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="115"/>
        <source>完整：{n} 条记录全部校验通过，没有被修改、删除或调换。</source>
        <translation>Intact: all {n} entries verified; none was changed, deleted or reordered.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/audit.py" line="117"/>
        <source>发现问题：第 {seq} 条记录起校验失败（{problem}）。请保留本机数据并联系运营方。</source>
        <translation>Problem found: verification fails from entry {seq} ({problem}). Keep this computer&apos;s data and contact the operator.</translation>
    </message>
</context>
<context>
    <name>BackOfficePage</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="29"/>
        <source>返回收银 (Esc)</source>
        <translation>Back to counter (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="45"/>
        <source>交班</source>
        <translation>Shifts</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="45"/>
        <source>订单</source>
        <translation>Orders</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="46"/>
        <source>库存</source>
        <translation>Stock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="46"/>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="47"/>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/__init__.py" line="57"/>
        <source>后台 · {name}</source>
        <translation>Back office · {name}</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="53"/>
        <source>所选时间内没有销售</source>
        <translation>No sales in this period</translation>
    </message>
</context>
<context>
    <name>DailyChart</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="96"/>
        <source>近 {n} 天销售额（浅色）与毛利（深色）</source>
        <translation>Last {n} days: sales (light) and profit (dark)</translation>
    </message>
</context>
<context>
    <name>OrderDetailDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="35"/>
        <source>订单详情</source>
        <translation>Order details</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="38"/>
        <source>单号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="38"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="38"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="39"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="39"/>
        <source>支付</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="39"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="40"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="40"/>
        <source>授权人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="41"/>
        <source>交付</source>
        <translation>Hand-over</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="41"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="41"/>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="47"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="47"/>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="47"/>
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="47"/>
        <source>小计</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="51"/>
        <source>重印 (店长)</source>
        <translation>Reprint (owner)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="54"/>
        <source>作废 (店长)</source>
        <translation>Void (owner)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="65"/>
        <source>关闭 (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="91"/>
        <source>，收 ￥{r} 找 ￥{c}</source>
        <translation>, received ￥{r}, change ￥{c}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="93"/>
        <source>充值账号 {a}</source>
        <translation>Account {a}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="95"/>
        <source>{n} 张卡密，{t} 已交给顾客</source>
        <translation>{n} code(s), handed to the customer at {t}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="97"/>
        <source>{n} 张卡密，未交给顾客</source>
        <translation>{n} code(s), not handed over</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="104"/>
        <source>平台已判定充值失败并退款到余额：请把钱退给顾客。</source>
        <translation>The platform failed this top-up and refunded the balance: pay the customer back.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="54"/>
        <source>作废订单 {n}</source>
        <translation>Void order {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="55"/>
        <source>订单 {n} 已作废，卡密已放回库存。</source>
        <translation>Order {n} voided; its codes are back in stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="51"/>
        <source>重印订单 {n}</source>
        <translation>Reprint order {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="52"/>
        <source>已加入打印队列（重印 / COPY）。</source>
        <translation>Queued for printing (COPY).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="57"/>
        <source>退款 (店长)</source>
        <translation>Refund (owner)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="62"/>
        <source>取消未付款的扫码收款</source>
        <translation>Cancel the unpaid QR payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="106"/>
        <source>顾客通过平台付的款还没退回：请退款。</source>
        <translation>The customer&apos;s payment through the platform has not been given back yet: refund it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="121"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="121"/>
        <source>原路退回</source>
        <translation>Back to the payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="121"/>
        <source>现金代退</source>
        <translation>Cash instead</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="123"/>
        <source>已退款</source>
        <translation>refunded</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="123"/>
        <source>退款处理中</source>
        <translation>refund in progress</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="124"/>
        <source>退款未成功</source>
        <translation>refund not done</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="125"/>
        <source>{t} {s} ￥{v}（{how}）</source>
        <translation>{t} {s} ¥{v} ({how})</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="150"/>
        <source>订单 {n} 的扫码收款已取消，卡密已放回库存。</source>
        <translation>The QR payment of order {n} is cancelled; its codes are back in stock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="151"/>
        <source>订单 {n} 已请求取消：收款码显示过，顾客可能已付款。联网后自动核对，未付款则卡密自动放回库存，已付款会提示退款。</source>
        <translation>Cancel of order {n} requested: its payment QR was shown, so the customer may have paid. Once online the platform decides; if unpaid, the codes go back to stock automatically, if paid you are told to refund.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="153"/>
        <source>订单 {n}：顾客已付款但收款已取消，已标记退款，请处理。</source>
        <translation>Order {n}: the customer paid but the payment was cancelled; flagged for refund, please handle it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/order_detail.py" line="154"/>
        <source>订单 {n}：顾客已付款，销售已完成。</source>
        <translation>Order {n}: the customer paid; the sale is complete.</translation>
    </message>
</context>
<context>
    <name>OrdersTab</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="179"/>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="188"/>
        <source>全部支付方式</source>
        <translation>All payments</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="193"/>
        <source>单号开头</source>
        <translation>Number starts with</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="216"/>
        <source>订单详情 (Enter)</source>
        <translation>Order details (Enter)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="246"/>
        <source>全部员工</source>
        <translation>All staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="247"/>
        <source>全部商品</source>
        <translation>All products</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="266"/>
        <source>查询中…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/orders.py" line="172"/>
        <source>共 {n} 单</source>
        <translation>{n} order(s)</translation>
    </message>
</context>
<context>
    <name>ReportsTab</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="127"/>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="130"/>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="134"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="134"/>
        <source>订单</source>
        <translation>Orders</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="134"/>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="134"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="134"/>
        <source>成本</source>
        <translation>Cost</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="134"/>
        <source>毛利</source>
        <translation>Profit</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="135"/>
        <source>毛利率</source>
        <translation>Margin</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="140"/>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="238"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="143"/>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="239"/>
        <source>按商品</source>
        <translation>By product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="144"/>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="239"/>
        <source>按支付方式</source>
        <translation>By payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="145"/>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="240"/>
        <source>按员工</source>
        <translation>By staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="146"/>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="240"/>
        <source>按日</source>
        <translation>By day</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="166"/>
        <source>查看报表</source>
        <translation>View reports</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="183"/>
        <source>销售额 ￥{v} · {n} 单 · 成本 ￥{c} · 毛利 ￥{p}（{m}）</source>
        <translation>Sales ¥{v} · {n} orders · cost ¥{c} · profit ¥{p} ({m})</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="185"/>
        <source> · 退款 {n} 笔 ￥{v}</source>
        <translation> · {n} refunds ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="241"/>
        <source>分类</source>
        <translation>Section</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="241"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="241"/>
        <source>时间范围</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="212"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="212"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="213"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="226"/>
        <source>已导出到 {p}</source>
        <translation>Exported to {p}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/reports.py" line="230"/>
        <source>无法写入 {p}：{e}</source>
        <translation>Cannot write {p}: {e}</translation>
    </message>
</context>
<context>
    <name>RestockDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="52"/>
        <source>补货</source>
        <translation>Restock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="72"/>
        <source>开始补货</source>
        <translation>Start restock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="75"/>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="170"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="79"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="80"/>
        <source>数量（张）</source>
        <translation>Quantity (codes)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="108"/>
        <source>进价 ￥{u} × {n} 张 = ￥{t}</source>
        <translation>Cost ¥{u} × {n} = ¥{t}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="111"/>
        <source>平台余额未知（联网同步后显示）</source>
        <translation>Platform balance unknown (shown after a sync)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="113"/>
        <source>平台余额 ￥{b}，补货后 ￥{a}</source>
        <translation>Platform balance ¥{b}, after the restock ¥{a}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="116"/>
        <source>余额不足，请先充值。</source>
        <translation>The balance is too low: top it up first.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="126"/>
        <source>未配对平台，不能补货。</source>
        <translation>Not paired with a platform: cannot restock.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="139"/>
        <source>补货 {n} 张（￥{t}）</source>
        <translation>Restock {n} codes (¥{t})</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="152"/>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="155"/>
        <source>正在向平台请求卡密…</source>
        <translation>Asking the platform for codes…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="165"/>
        <source>已请求 {n} / {t} 张</source>
        <translation>Requested {n} / {t}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="177"/>
        <source>已停止：收到 {n} 张卡密。</source>
        <translation>Stopped: {n} code(s) received.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="178"/>
        <source>补货完成：收到 {n} 张卡密。</source>
        <translation>Restock done: {n} code(s) received.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="187"/>
        <source>正在停止（等待当前请求完成）…</source>
        <translation>Stopping (waiting for the request in flight)…</translation>
    </message>
</context>
<context>
    <name>ShiftsTab</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="148"/>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="152"/>
        <source>开班</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="151"/>
        <source>备用金（元）</source>
        <translation>Float (yuan)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="157"/>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="189"/>
        <source>备用金</source>
        <translation>Float</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="161"/>
        <source>交班点钞</source>
        <translation>Count the drawer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="180"/>
        <source>交班并出 Z 报表</source>
        <translation>Close shift and print Z report</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="185"/>
        <source>盲点：收银员先点钞，交班后才看到应有现金</source>
        <translation>Blind count: the cashier counts first and sees the expected cash after the close</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="189"/>
        <source>Z 号</source>
        <translation>Z no.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="189"/>
        <source>开班时间</source>
        <translation>Opened</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="189"/>
        <source>交班时间</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="190"/>
        <source>应有</source>
        <translation>Expected</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="190"/>
        <source>实点</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="190"/>
        <source>差额</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="192"/>
        <source>查看 Z 报表</source>
        <translation>View Z report</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="204"/>
        <source>已交班</source>
        <translation>Closed shifts</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="224"/>
        <source>当前没有开班。</source>
        <translation>No shift is open.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="226"/>
        <source>第 {seq} 班 · {name} · {at} 开班
备用金 ￥{float} · {n} 单 · 盲点：交班后显示应有现金</source>
        <translation>Shift {seq} · {name} · opened {at}
Float ¥{float} · {n} orders · blind count: expected cash shown after the close</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="231"/>
        <source>第 {seq} 班 · {name} · {at} 开班
备用金 ￥{float} · {n} 单 · 应有现金 ￥{exp}</source>
        <translation>Shift {seq} · {name} · opened {at}
Float ￥{float} · {n} order(s) · expected cash ￥{exp}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="249"/>
        <source>应有：交班后显示</source>
        <translation>Expected: shown after the close</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="254"/>
        <source>应有 ￥{v}</source>
        <translation>Expected ￥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="279"/>
        <source>更改盲点设置</source>
        <translation>Change the blind count setting</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="288"/>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="292"/>
        <source>交班</source>
        <translation>Close shift</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="289"/>
        <source>确认交班？实点现金 ￥{v}。
交班后本班的点钞和 Z 报表不能再改。</source>
        <translation>Close the shift? Cash counted: ¥{v}.
After the close, the count and the Z report cannot be changed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="294"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="247"/>
        <source>实点 ￥{v}</source>
        <translation>Counted ￥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="255"/>
        <source>短款 ￥{v}</source>
        <translation>Short ￥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="255"/>
        <source>长款 ￥{v}</source>
        <translation>Over ￥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="255"/>
        <source>无差额 ￥{v}</source>
        <translation>Balanced ￥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="266"/>
        <source>备用金格式不对</source>
        <translation>The float is not a valid amount</translation>
    </message>
</context>
<context>
    <name>StockTab</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="209"/>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="258"/>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="259"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="209"/>
        <source>可售</source>
        <translation>Available</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="209"/>
        <source>预留</source>
        <translation>Reserved</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="209"/>
        <source>已售</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="209"/>
        <source>隔离</source>
        <translation>Quarantined</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="210"/>
        <source>售后</source>
        <translation>After-sales</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="210"/>
        <source>预警值</source>
        <translation>Threshold</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="210"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="210"/>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="278"/>
        <source>售价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="211"/>
        <source>建议价</source>
        <translation>Suggested</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="211"/>
        <source>进价</source>
        <translation>Cost</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="211"/>
        <source>自动补货</source>
        <translation>Auto restock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="216"/>
        <source>保存预警值 (店长)</source>
        <translation>Save threshold (owner)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="221"/>
        <source>售价（元）</source>
        <translation>Price (yuan)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="224"/>
        <source>保存售价 (店长)</source>
        <translation>Save price (owner)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="227"/>
        <source>恢复建议价</source>
        <translation>Use suggested price</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="230"/>
        <source>补货…</source>
        <translation>Restock…</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="242"/>
        <source>关闭</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="243"/>
        <source>保存自动补货 (店长)</source>
        <translation>Save auto restock (owner)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="248"/>
        <source>元，0 为不自动补货</source>
        <translation>yuan, 0 = no auto restock</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="251"/>
        <source>保存预算 (店长)</source>
        <translation>Save budget (owner)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="258"/>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="259"/>
        <source>卡号尾号</source>
        <translation>Card no. tail</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="258"/>
        <source>编号</source>
        <translation>Code id</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="259"/>
        <source>订单</source>
        <translation>Orders</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="259"/>
        <source>售出时间</source>
        <translation>Sold at</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="262"/>
        <source>隔离的卡密</source>
        <translation>Quarantined codes</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="263"/>
        <source>售后标记</source>
        <translation>After-sales flags</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="272"/>
        <source>所选商品的预警值</source>
        <translation>Low-stock threshold of the selected product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="284"/>
        <source>自动补货：保持</source>
        <translation>Auto restock: keep</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="286"/>
        <source>张</source>
        <translation>codes</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="290"/>
        <source>每日预算 ￥</source>
        <translation>Daily budget ¥</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="311"/>
        <source>今日自动补货 ￥{s} / 预算 ￥{b}</source>
        <translation>Auto restock today ¥{s} / budget ¥{b}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="313"/>
        <source>自动补货未开启（预算为 0）</source>
        <translation>Auto restock is off (budget 0)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="314"/>
        <source>平台余额 ￥{v}</source>
        <translation>Platform balance ￥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="315"/>
        <source>平台余额未知</source>
        <translation>Platform balance unknown</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="317"/>
        <source>{n} 个商品库存不足：{names}</source>
        <translation>{n} product(s) low on stock: {names}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="320"/>
        <source>补货建议：{name} 补 {n} 张</source>
        <translation>Suggested restock: {n} × {name}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="324"/>
        <source>库存不足</source>
        <translation>Low</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="324"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="327"/>
        <source>保持 {n} 张</source>
        <translation>Keep {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="337"/>
        <source>隔离的卡密 ({n})</source>
        <translation>Quarantined codes ({n})</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="338"/>
        <source>售后标记 ({n})</source>
        <translation>After-sales flags ({n})</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="360"/>
        <source>修改 {name} 的预警值为 {n}</source>
        <translation>Set the threshold of {name} to {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="377"/>
        <source>售价须在 0.01 到 {m} 元之间</source>
        <translation>A price is from 0.01 to {m} yuan</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="380"/>
        <source>{name} 恢复平台建议价</source>
        <translation>Sell {name} at the platform&apos;s suggested price</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="381"/>
        <source>修改 {name} 的售价为 ￥{v}</source>
        <translation>Set the price of {name} to ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="394"/>
        <source>{name} 自动补货：保持 {n} 张</source>
        <translation>{name} auto restock: keep {n} codes</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="395"/>
        <source>关闭 {name} 的自动补货</source>
        <translation>Turn off auto restock for {name}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="412"/>
        <source>每日预算须在 0 到 {m} 元之间</source>
        <translation>The daily budget must be between 0 and {m} yuan</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/stock.py" line="416"/>
        <source>自动补货每日预算改为 ￥{v}</source>
        <translation>Set the daily auto restock budget to ¥{v}</translation>
    </message>
</context>
<context>
    <name>ZReportDialog</name>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="52"/>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="92"/>
        <source>Z 报表 第 {n} 号</source>
        <translation>Z report no. {n}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="59"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="56"/>
        <source>再打印一份</source>
        <translation>Print a copy</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="63"/>
        <source>交班完成，Z 报表已加入打印队列。</source>
        <translation>Shift closed; the Z report is queued for printing.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="76"/>
        <source>已加入打印队列（副本）。</source>
        <translation>Queued for printing (copy).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="93"/>
        <source>开班时间</source>
        <translation>Opened</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="94"/>
        <source>交班时间</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="95"/>
        <source>备用金</source>
        <translation>Float</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="96"/>
        <source>应有现金</source>
        <translation>Expected cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="97"/>
        <source>实点现金</source>
        <translation>Counted cash</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="98"/>
        <source>差额</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="99"/>
        <source>订单数</source>
        <translation>Orders</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="100"/>
        <source>首单 / 末单</source>
        <translation>First / last order</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="101"/>
        <source>销售合计</source>
        <translation>Sales total</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="102"/>
        <source>成本合计</source>
        <translation>Total cost</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="103"/>
        <source>毛利</source>
        <translation>Profit</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="104"/>
        <source>直充</source>
        <translation>Top-up</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="104"/>
        <source>{n} 笔 ￥{v}（失败退款 ￥{f}）</source>
        <translation>{n} for ￥{v} (failed, refunded ￥{f})</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="106"/>
        <source>无销售开钱箱</source>
        <translation>Drawer opened without sale</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="107"/>
        <source>点钞</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="110"/>
        <source>开班前订单（现金已含在备用金里）</source>
        <translation>Orders before the shift opened (their cash is in the float)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="110"/>
        <source>{n} 笔 ￥{v}</source>
        <translation>{n} for ¥{v}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="112"/>
        <source>按商品</source>
        <translation>By product</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="113"/>
        <source>￥{v}，成本 ￥{c}，毛利 ￥{m}</source>
        <translation>¥{v}, cost ¥{c}, profit ¥{m}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="116"/>
        <source>按员工</source>
        <translation>By staff</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="117"/>
        <source>{name} {n} 笔</source>
        <translation>{name}, {n} orders</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="118"/>
        <source>￥{v}，毛利 ￥{m}</source>
        <translation>¥{v}, profit ¥{m}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="120"/>
        <source>按支付方式</source>
        <translation>By payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="122"/>
        <source>作废与退款</source>
        <translation>Voids and refunds</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="123"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="123"/>
        <source>退款</source>
        <translation>Refund</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="125"/>
        <source>￥{v}，{staff}，授权 {approver}</source>
        <translation>¥{v}, {staff}, approved by {approver}</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="127"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="129"/>
        <source>未结算，转下一班（待付款）</source>
        <translation>Unsettled, passed on to the next shift (awaiting payment)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="132"/>
        <source>现金退款</source>
        <translation>Cash refund</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="132"/>
        <source>原路退回</source>
        <translation>Back to the payment</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="132"/>
        <source>现金代退</source>
        <translation>Cash instead</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/backoffice/shifts.py" line="133"/>
        <source>退款（按方式）</source>
        <translation>Refunds (by method)</translation>
    </message>
</context>
</TS>
