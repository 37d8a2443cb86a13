<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name></name>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="49"/>
        <source>缺纸：装上新纸卷后会自动打印。</source>
        <translation>Paper out: load a new roll and the slip prints by itself.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="50"/>
        <source>打印机盖未合上：合上后会自动打印。</source>
        <translation>Printer cover open: close it and the slip prints by itself.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="51"/>
        <source>打印机故障（卡纸或过热）：请关机再开。</source>
        <translation>Printer error (paper jam or overheating): switch it off and on.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="52"/>
        <source>打印机离线：请检查电源和纸张。</source>
        <translation>Printer offline: check its power and paper.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="54"/>
        <source>还没有设置打印机：在 设置 → 打印机 中选择，小票会一直等着。</source>
        <translation>No printer set up yet: choose one in Settings → Printer; slips wait until then.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="55"/>
        <source>打印中连接断开：请查看小票，然后重试（印为重印）或取消。</source>
        <translation>Connection lost while printing: check the slip, then retry (prints as COPY) or cancel.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="53"/>
        <source>连不上打印机（{where}）：请检查线缆或网络，以及打印机电源。</source>
        <translation>Cannot reach the printer ({where}): check the cable or network and that it is on.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="25"/>
        <source>不认识的打印机连接方式。</source>
        <translation>Unknown printer connection.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="26"/>
        <source>网络打印机需要填写 IP 地址和端口（通常是 9100）。</source>
        <translation>A network printer needs its IP address and a port (usually 9100).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="27"/>
        <source>USB 打印机需要填写厂商 ID 和产品 ID（见打印机标签）。</source>
        <translation>A USB printer needs its vendor and product id (see the printer&apos;s label).</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="28"/>
        <source>USB 厂商 ID 是四位十六进制数，例如 0416。</source>
        <translation>The USB vendor id is four hex digits, e.g. 0416.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="29"/>
        <source>USB 产品 ID 是四位十六进制数，例如 5011。</source>
        <translation>The USB product id is four hex digits, e.g. 5011.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="30"/>
        <source>请选择打印机的端口或设备。</source>
        <translation>Choose the printer&apos;s port or device.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="31"/>
        <source>串口速率须为 9600、19200、38400、57600 或 115200。</source>
        <translation>Serial speed must be 9600, 19200, 38400, 57600 or 115200 baud.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="32"/>
        <source>超时须在 0.5 到 120 秒之间。</source>
        <translation>The timeout must be between 0.5 and 120 seconds.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="33"/>
        <source>保存的打印机设置已损坏，请重新设置打印机。</source>
        <translation>The saved printer settings are damaged; set the printer up again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="34"/>
        <source>每行字数须在 24 到 64 之间。</source>
        <translation>Columns must be between 24 and 64.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="35"/>
        <source>打印宽度（点）须是 8 的倍数，在 192 到 832 之间。</source>
        <translation>Dots must be a multiple of 8 between 192 and 832.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="36"/>
        <source>请选择打印机支持的中文编码。</source>
        <translation>Choose a Chinese encoding the printer supports.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="37"/>
        <source>钱箱引脚须为 2 或 5。</source>
        <translation>The cash drawer pin must be 2 or 5.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="38"/>
        <source>{path} 不是打印机设备：小票不会写进普通文件。</source>
        <translation>{path} is not a printer device; slips are never written to ordinary files.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="39"/>
        <source>打印机设置无法使用：请在 设置 → 打印机 中重新设置。</source>
        <translation>The printer settings cannot work: set the printer up again in Settings → Printer.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="56"/>
        <source>这张小票无法用这台打印机打印（{error}）：请取消此单。</source>
        <translation>This slip cannot be printed on this printer ({error}): cancel it.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/reasons.py" line="57"/>
        <source>打印机出了问题（原因未记录）：请检查打印机，然后重试或取消。</source>
        <translation>The printer had a problem (no reason recorded): check the printer, then retry or cancel.</translation>
    </message>
</context>
<context>
    <name>PrintQueuePanel</name>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="34"/>
        <source>销售小票</source>
        <translation>Sale receipt</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="34"/>
        <source>卡密凭证</source>
        <translation>Card slip</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="35"/>
        <source>充值凭证</source>
        <translation>Top-up receipt</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="35"/>
        <source>交班报表</source>
        <translation>Shift (Z) report</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="36"/>
        <source>测试页</source>
        <translation>Test page</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="36"/>
        <source>开钱箱</source>
        <translation>Open drawer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="37"/>
        <source>退款凭证</source>
        <translation>Refund slip</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="38"/>
        <source>等待打印</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="38"/>
        <source>打印中</source>
        <translation>Printing</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="38"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="40"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="40"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="40"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="40"/>
        <source>次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="41"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="46"/>
        <source>打印队列是空的：所有小票都已打印。</source>
        <translation>The print queue is empty: every slip has been printed.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="47"/>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="48"/>
        <source>取消此单</source>
        <translation>Cancel this job</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="79"/>
        <source>（重印）</source>
        <translation> (copy)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="114"/>
        <source>已重新排队，将印为重印。</source>
        <translation>Queued again; it will print as a COPY.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="114"/>
        <source>已重新排队。</source>
        <translation>Queued again.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/queue_panel.py" line="123"/>
        <source>已取消（已记录在操作日志）。</source>
        <translation>Cancelled (recorded in the audit log).</translation>
    </message>
</context>
<context>
    <name>PrinterSettingsPage</name>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="49"/>
        <source>网络（9100 端口）</source>
        <translation>Network (port 9100)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="49"/>
        <source>串口</source>
        <translation>Serial port</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="50"/>
        <source>Windows 打印机</source>
        <translation>Windows printer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="50"/>
        <source>设备文件</source>
        <translation>Device file</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="61"/>
        <source>留空使用 Windows 默认打印机</source>
        <translation>Leave empty for the Windows default printer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="64"/>
        <source>{name}（{columns} 列）</source>
        <translation>{name} ({columns} columns)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="68"/>
        <source>打印机自带二维码（若测试页二维码印成文字，请取消）</source>
        <translation>Printer&apos;s own QR codes (untick if the test page prints the QR as text)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="70"/>
        <source>自动切纸</source>
        <translation>Automatic paper cut</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="72"/>
        <source>不接钱箱</source>
        <translation>No cash drawer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="73"/>
        <source>钱箱引脚 2</source>
        <translation>Cash drawer on pin 2</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="74"/>
        <source>钱箱引脚 5</source>
        <translation>Cash drawer on pin 5</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="75"/>
        <source>保存（需店长 PIN）</source>
        <translation>Save (owner PIN)</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="76"/>
        <source>打印测试页</source>
        <translation>Print test page</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="77"/>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="88"/>
        <source>连接方式</source>
        <translation>Connection</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="89"/>
        <source>IP 地址</source>
        <translation>IP address</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="90"/>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="91"/>
        <source>USB 厂商 ID</source>
        <translation>USB vendor ID</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="92"/>
        <source>USB 产品 ID</source>
        <translation>USB product ID</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="93"/>
        <source>端口/设备</source>
        <translation>Port / device</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="94"/>
        <source>波特率</source>
        <translation>Baud rate</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="95"/>
        <source>打印机名称</source>
        <translation>Printer name</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="96"/>
        <source>纸宽</source>
        <translation>Paper width</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="97"/>
        <source>中文编码</source>
        <translation>Chinese encoding</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="100"/>
        <source>钱箱</source>
        <translation>Cash drawer</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="185"/>
        <source>打印机设置已保存。</source>
        <translation>Printer settings saved.</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="187"/>
        <source>修改打印机设置</source>
        <translation>Change printer settings</translation>
    </message>
    <message>
        <location filename="../../../kameng_desk/gui/printing/settings_page.py" line="205"/>
        <source>测试页已加入打印队列（用已保存的打印机设置）。</source>
        <translation>Test page queued (printed with the saved printer settings).</translation>
    </message>
</context>
</TS>
