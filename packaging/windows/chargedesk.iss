; ChargeDesk for Windows: Inno Setup 6 script over the PyInstaller one-folder build.
;
; Build (see README, "Building installers"), from the repository root:
;   .venv\Scripts\python -m PyInstaller --noconfirm packaging\chargedesk.spec
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\chargedesk.iss
; or simply: powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
; Output: dist\chargedesk-<version>-setup.exe
;
; - Installs for the current user by default (no administrator needed, into
;   %LOCALAPPDATA%\Programs\ChargeDesk); "Install for all users" needs an
;   administrator and then offers a Windows Firewall rule for the OCPP port.
; - Data is not the installer's: each user's database, backups, settings and logs
;   live in %LOCALAPPDATA%\ChargeDesk (platformdirs). Uninstalling leaves them.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "ChargeDesk"
#define OcppPort "9000"
#define FirewallRule "ChargeDesk OCPP (TCP 9000)"

[Setup]
AppId={{6C1F3A52-8E4B-4C1D-9B7A-2F0C8D5E4A17}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=ChargeDesk
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default; the first page lets an administrator install for everyone.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=chargedesk-{#AppVersion}-setup
SetupIconFile=..\icons\chargedesk.ico
UninstallDisplayIcon={app}\chargedesk-gui.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "startup"; Description: "Start ChargeDesk when signing in to Windows"; GroupDescription: "Start-up:"; Flags: unchecked
Name: "firewall"; Description: "Let chargers on the network reach the OCPP port {#OcppPort} (Windows Firewall)"; GroupDescription: "Network:"; Check: IsAdminInstallMode

[Files]
Source: "..\..\dist\chargedesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\chargedesk-gui.exe"; Parameters: "run --demo 0"; Comment: "Watch and control the chargers of a charging site"
Name: "{autoprograms}\{#AppName} (demo fleet)"; Filename: "{app}\chargedesk-gui.exe"; Parameters: "run --demo 6"; Comment: "ChargeDesk with six simulated chargers"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\chargedesk-gui.exe"; Parameters: "run --demo 0"; Tasks: desktopicon
Name: "{autostartup}\{#AppName}"; Filename: "{app}\chargedesk-gui.exe"; Parameters: "run --demo 0"; Tasks: startup

[Run]
; Replace, never duplicate, the rule on a reinstall or upgrade.
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""{#FirewallRule}"""; Flags: runhidden; Tasks: firewall; Check: IsAdminInstallMode
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall add rule name=""{#FirewallRule}"" dir=in action=allow protocol=TCP localport={#OcppPort} profile=domain,private"; Flags: runhidden; Tasks: firewall; Check: IsAdminInstallMode; StatusMsg: "Opening TCP port {#OcppPort} for chargers..."
Filename: "{app}\chargedesk-gui.exe"; Parameters: "run --demo 0"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""{#FirewallRule}"""; Flags: runhidden; RunOnceId: "RemoveFirewallRule"; Check: IsAdminInstallMode

; No [UninstallDelete]: the database in %LOCALAPPDATA%\ChargeDesk is the site's
; records (sessions, payments) and stays when ChargeDesk is uninstalled.
