# Build the Windows installer: dist\chargedesk-<version>-setup.exe
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs Python 3.11+ (py launcher or python on PATH) and Inno Setup 6
# (https://jrsoftware.org/isinfo.php, or `choco install innosetup`).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
$env:PATH = "$PWD\.venv\Scripts;$env:PATH"
python -m pip install --quiet --disable-pip-version-check --upgrade pip
python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[packaging]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
python -m app.ui.i18n compile
if ($LASTEXITCODE -ne 0) { throw "translations did not compile" }
$version = python -c "from importlib.metadata import version; print(version('chargedesk'))"

python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\chargedesk.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
& dist\chargedesk\chargedesk.exe --version
if ($LASTEXITCODE -ne 0) { throw "the frozen program does not start" }

$iscc = @(
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
) | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { throw "Inno Setup 6 not found (choco install innosetup)" }
& $iscc "/DAppVersion=$version" packaging\windows\chargedesk.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Get-Item "dist\chargedesk-$version-setup.exe"
