; Windows installer for the kameng-desk bundle (Inno Setup 6.3 or newer).
; Build the bundle first (dist\kameng-desk\, see installer\README.md), then:
;     iscc installer\kameng-desk.iss                 (version read from kameng-desk.exe)
;     iscc /DAppVersion=0.1.0 installer\kameng-desk.iss
; Output: dist\kameng-desk-setup-<version>.exe
;
; Program files go to Program Files (or the user's own Programs folder when installed without admin rights).
; The shop's data - the encrypted database, its store-id and the logs - lives apart from them, where
; kameng_desk/paths.py puts it (platformdirs: %LOCALAPPDATA%\Kameng\KamengDesk), and its key in Windows
; Credential Manager. Upgrades never touch either; uninstall asks before deleting the data (default: keep).

#define AppName "卡盟收银台"
#define AppExe "kameng-desk.exe"
#define BundleDir AddBackslash(SourcePath) + "..\dist\kameng-desk"
; The shop's data folder: platformdirs.user_data_dir("KamengDesk", "Kameng") on Windows.
#define ShopDataDir "{localappdata}\Kameng\KamengDesk"

#if !FileExists(BundleDir + "\" + AppExe)
  #error dist\kameng-desk\kameng-desk.exe is missing: build the bundle first (installer\README.md)
#endif
#ifndef AppVersion
  ; The spec writes kameng_desk.__version__ into the executable's version resource.
  #define AppVersion GetStringFileInfo(BundleDir + "\" + AppExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error no version: the bundle's kameng-desk.exe has no ProductVersion; pass /DAppVersion=X.Y.Z
#endif
#if !FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #error Languages\ChineseSimplified.isl is missing from this Inno Setup: see installer\README.md
#endif

[Setup]
; The AppId ties upgrades and the uninstaller to this product: never change it.
AppId={{5B7DC2C5-8CAC-4D39-A637-E669A67B41CA}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Kameng
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} Setup
DefaultDirName={autopf}\KamengDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per machine by default; a café PC without an administrator can install for the current user only.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 supports Windows 10 1809 (build 17763) and later; its QtCore also loads the ICU that Windows ships from 1703.
MinVersion=10.0.17763
OutputDir=..\dist
OutputBaseFilename=kameng-desk-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; A running till holds its files open: Setup and the uninstaller offer to close it first.
CloseApplications=yes
RestartApplications=no
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
#if FileExists(AddBackslash(SourcePath) + "..\resources\icons\kameng-desk.ico")
SetupIconFile=..\resources\icons\kameng-desk.ico
#endif

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.SelfTest={#AppName} 自检
english.SelfTest=Kameng Desk self-test
chinesesimplified.DeleteShopData=是否同时删除本店数据？%n%n%1%n%n这里有加密数据库（卡密、尚未同步的订单、班次记录）和日志。以后重装或换电脑时还要用到，建议保留。只有在全部订单都已同步、这台收银机不再使用时才删除。
english.DeleteShopData=Also delete this shop's data?%n%n%1%n%nIt holds the encrypted database (card codes, orders not yet synced, shifts) and the logs, needed to reinstall or to move to another PC: keep it unless every order is synced and this till is retired.
chinesesimplified.DeleteShopDataFailed=部分店铺数据没有删除（收银台是否还在运行？）：%n%1
english.DeleteShopDataFailed=Some of the shop data was not deleted (is Kameng Desk still running?):%n%1

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; The previous version's libraries go before the new ones are copied, so no stale DLL lingers. Program files only.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
; For support: the self-test in a console window that stays open.
Name: "{group}\{cm:SelfTest}"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#AppExe}"" --self-test"""; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; postinstall entries run as the user who started Setup, not as the administrator: the key goes into that
; user's Credential Manager and the data into that user's folder.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder, once empty. The shop's data folder is handled in [Code] below, and only on request.
Type: dirifempty; Name: "{app}"

[Code]
{ True when the uninstaller was started with /DELETESHOPDATA (for scripted, silent uninstalls). }
function DeleteShopDataRequested: Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/DELETESHOPDATA') = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Dir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Dir := ExpandConstant('{#ShopDataDir}');
  if not DirExists(Dir) then
    Exit;
  { Keep is the default: a silent uninstall keeps the data unless asked, and the question defaults to No. }
  if UninstallSilent then begin
    if not DeleteShopDataRequested then
      Exit;
  end else if MsgBox(FmtMessage(CustomMessage('DeleteShopData'), [Dir]), mbConfirmation,
                     MB_YESNO or MB_DEFBUTTON2) <> IDYES then
    Exit;
  if DelTree(Dir, True, True, True) then
    RemoveDir(ExtractFileDir(Dir))  { the Kameng folder, if nothing else is in it }
  else if not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DeleteShopDataFailed'), [Dir]), mbError, MB_OK);
end;
