/**
 * The Windows service scripts, in batch so they run on any Windows without an execution policy to lower (and
 * under Wine in the tests). The service is NSSM (a real service host, public domain) running the connector's
 * single executable as the per-service virtual account `NT SERVICE\DirectoryBridge-<connection>`, which may
 * modify only the connection's own folder. Pure, so unit tested. Written with CRLF line ends.
 */
import { PACKAGE_NAME } from './targets';

export const INSTALL_CMD = 'install-service.cmd';
export const UNINSTALL_CMD = 'uninstall-service.cmd';
export const EXE = `${PACKAGE_NAME}.exe`;

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

// Wine's cmd runs the right side of "x >nul || y" even when x succeeded: each check is its own "if errorlevel" line.

/** Shared opening: the connection name, checked, and the folders every script uses. */
function prologue(usage: string): string {
  return `@echo off
setlocal EnableExtensions
set "CONN=%~1"
if "%CONN%"=="" (echo usage: ${usage} & exit /b 2)
rem the same rule as connection names in the editor: lowercase letters, digits and "-" (any other character is a token)
set "BAD="
for /f "delims=abcdefghijklmnopqrstuvwxyz0123456789-" %%x in ("%CONN%") do set "BAD=1"
if "%CONN:~0,1%"=="-" set "BAD=1"
if defined BAD (echo "%CONN%" is not a connection name: lowercase letters, digits and - & exit /b 2)
set "SVC=DirectoryBridge-%CONN%"
if "%DIRECTORY_BRIDGE_HOME%"=="" (set "BIN=%ProgramFiles%\\Directory Bridge") else (set "BIN=%DIRECTORY_BRIDGE_HOME%")
if "%DIRECTORY_BRIDGE_DATA%"=="" (set "DATA=%ProgramData%\\Directory Bridge\\%CONN%") else (set "DATA=%DIRECTORY_BRIDGE_DATA%\\%CONN%")
`;
}

/**
 * Installs the executables, the connection's folder and the service (not started: the password and the
 * registration come first, see the README). Run from an elevated prompt in the unpacked folder.
 */
export function installServiceCmd(): string {
  return crlf(`${prologue(`${INSTALL_CMD} CONNECTION  (elevated, from the folder holding config.json)`)}set "SRC=%~dp0"
if not exist "%SRC%config.json" (echo %SRC%config.json is missing: it comes from Generate Connector Config & exit /b 1)
reg query "HKLM\\SYSTEM\\CurrentControlSet\\Services\\%SVC%" >nul 2>&1
if not errorlevel 1 (echo The service %SVC% exists already: run ${UNINSTALL_CMD} %CONN% first & exit /b 1)
if not exist "%BIN%" mkdir "%BIN%"
if not exist "%BIN%" exit /b 1
copy /y "%SRC%${EXE}" "%BIN%\\${EXE}" >nul
if errorlevel 1 exit /b 1
copy /y "%SRC%nssm.exe" "%BIN%\\nssm.exe" >nul
if errorlevel 1 exit /b 1
if not exist "%DATA%\\logs" mkdir "%DATA%\\logs"
if not exist "%DATA%\\logs" exit /b 1
if not exist "%DATA%\\config.json" copy "%SRC%config.json" "%DATA%\\config.json" >nul
if not exist "%DATA%\\config.json" exit /b 1
if exist "%SRC%ldap-ca.pem" copy /y "%SRC%ldap-ca.pem" "%DATA%\\ldap-ca.pem" >nul
set "NSSM=%BIN%\\nssm.exe"
rem the config path is relative to AppDirectory: NSSM would pass a path with spaces unquoted
"%NSSM%" install "%SVC%" "%BIN%\\${EXE}" start --config config.json >nul
if errorlevel 1 exit /b 1
call :nssmset DisplayName "Directory Bridge connector (%CONN%)"
if errorlevel 1 exit /b 1
call :nssmset Description "Answers the identity service's logins from the directory. Log: %DATA%\\logs\\connector.log"
if errorlevel 1 exit /b 1
call :nssmset AppDirectory "%DATA%"
if errorlevel 1 exit /b 1
call :nssmset Start SERVICE_AUTO_START
if errorlevel 1 exit /b 1
rem the log: stdout and stderr into one file, rotated at 10 MB while running
call :nssmset AppStdout "%DATA%\\logs\\connector.log"
if errorlevel 1 exit /b 1
call :nssmset AppStderr "%DATA%\\logs\\connector.log"
if errorlevel 1 exit /b 1
call :nssmset AppRotateFiles 1
if errorlevel 1 exit /b 1
call :nssmset AppRotateOnline 1
if errorlevel 1 exit /b 1
call :nssmset AppRotateBytes 10485760
if errorlevel 1 exit /b 1
rem a crash restarts it after 5 s; a clean stop is Ctrl+C, which the connector answers by finishing its requests
call :nssmset AppExit Default Restart
if errorlevel 1 exit /b 1
call :nssmset AppRestartDelay 5000
if errorlevel 1 exit /b 1
call :nssmset AppStopMethodConsole 15000
if errorlevel 1 exit /b 1
sc.exe failure "%SVC%" reset= 86400 actions= restart/5000/restart/5000/restart/60000 >nul
rem a virtual account of its own: no password, no rights beyond its folder and the network
sc.exe config "%SVC%" obj= "NT SERVICE\\%SVC%" >nul
if errorlevel 1 exit /b 1
icacls "%DATA%" /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" "NT SERVICE\\%SVC%:(OI)(CI)M" >nul
echo Installed the service %SVC% (not started yet).
echo   1. "%BIN%\\${EXE}" set-password --config "%DATA%\\config.json"
echo   2. "%BIN%\\${EXE}" setup --config "%DATA%\\config.json" ^&^& sc.exe start %SVC%
echo Log: %DATA%\\logs\\connector.log
exit /b 0

rem Wine's service manager (and, rarely, Windows' right after an install) can answer "service does not exist"
rem to a set that follows the install at once: try again a few times before giving up
:nssmset
set /a TRIES=0
:nssmset_again
"%NSSM%" set "%SVC%" %* >nul 2>&1
if not errorlevel 1 exit /b 0
set /a TRIES+=1
if %TRIES% lss 20 goto nssmset_again
echo Could not set %1 on the service %SVC%: nssm set failed 20 times
exit /b 1`);
}

/** Stops and deletes the service; with /purge also the connection's folder (its keys and log). */
export function uninstallServiceCmd(): string {
  return crlf(`${prologue(`${UNINSTALL_CMD} CONNECTION [/purge]  (elevated)`)}reg query "HKLM\\SYSTEM\\CurrentControlSet\\Services\\%SVC%" >nul 2>&1
if errorlevel 1 (echo No service %SVC%.) else (
  "%BIN%\\nssm.exe" stop "%SVC%" >nul 2>&1
  call :nssmremove
  if errorlevel 1 exit /b 1
  echo Removed the service %SVC%.
)
if /i "%~2"=="/purge" (
  if exist "%DATA%" rmdir /s /q "%DATA%"
  echo Deleted %DATA%.
)
exit /b 0

rem as for nssm set at install: Wine's service manager (and, rarely, Windows' right after a change) can answer
rem "service does not exist" for a service that is there: try again a few times before giving up
:nssmremove
set /a TRIES=0
:nssmremove_again
"%BIN%\\nssm.exe" remove "%SVC%" confirm >nul 2>&1
if not errorlevel 1 exit /b 0
set /a TRIES+=1
if %TRIES% lss 20 goto nssmremove_again
echo Could not remove the service %SVC%: nssm remove failed 20 times
exit /b 1
`);
}
