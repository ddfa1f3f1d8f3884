; Onramp's Windows installer: per user (no administrator rights), into
; %LOCALAPPDATA%\Programs\Onramp, with a Start menu shortcut and an uninstaller that Settings ›
; Apps lists. `cargo xtask cross` builds it on Linux with Debian's makensis, since Tauri's bundler
; makes Windows installers only on Windows; the release workflow builds Tauri's own there.
; The CSM's drafts (in %APPDATA%\com.onramp.desktop) are theirs: uninstalling keeps them.
;
; Set by the caller: VERSION, OUT (the installer to write), APP (Onramp.exe), CLI (onramp.exe),
; LOADER (WebView2Loader.dll) and ICON; FAST packs with zlib, for a test build.

Target amd64-unicode
RequestExecutionLevel user
!ifdef FAST
  SetCompressor zlib
!else
  SetCompressor /SOLID lzma
!endif

!define NAME "Onramp"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${NAME}"

Name "${NAME}"
OutFile "${OUT}"
Icon "${ICON}"
UninstallIcon "${ICON}"
InstallDir "$LOCALAPPDATA\Programs\${NAME}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${NAME} installer"
VIAddVersionKey "CompanyName" "Onramp Developers"
VIAddVersionKey "LegalCopyright" "Onramp Developers"

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "Onramp"
  SetOutPath "$INSTDIR"
  File "/oname=Onramp.exe" "${APP}"
  File "/oname=WebView2Loader.dll" "${LOADER}"
  ; The command line, apart: Windows names are case-blind, so onramp.exe and Onramp.exe are one.
  SetOutPath "$INSTDIR\bin"
  File "/oname=onramp.exe" "${CLI}"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\Onramp.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Onramp Developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\Onramp.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${NAME}.lnk"
  Delete "$INSTDIR\Onramp.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\bin\onramp.exe"
  RMDir "$INSTDIR\bin"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
