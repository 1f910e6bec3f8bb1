// Lets the Windows addon load into any host executable, not only node.exe.
//
// The addon imports the Node-API functions from "node.exe" (its import
// library is generated from node.exe's export table). VS Code's extension
// host is Code.exe, which exports the same functions but has another name,
// so a plain import would make Windows look for a node.exe that is not
// there. The import is therefore delay-loaded (dlltool --output-delaylib):
// the first call goes through the delay-load helper, which asks this hook
// before it loads a DLL. For "node.exe" the hook answers with the module of
// the running executable, whichever it is, so the functions resolve in the
// process that loaded us.
//
// Only built by scripts/buildWin32.mjs; MSVC builds through node-gyp get
// node-gyp's own equivalent hook.
#ifdef _WIN32

#include <windows.h>

#include <delayimp.h>

namespace {

FARPROC WINAPI HostExecutableHook(unsigned notification, PDelayLoadInfo info) {
  if (notification != dliNotePreLoadLibrary || info == nullptr || info->szDll == nullptr) return nullptr;
  if (lstrcmpiA(info->szDll, "node.exe") != 0) return nullptr;  // not ours: the helper loads it normally
  return reinterpret_cast<FARPROC>(GetModuleHandleW(nullptr));
}

}  // namespace

// The delay-load helper reads these two hooks. Both are defined here so the
// linker does not also pull mingw's default (empty) definitions.
extern "C" {
PfnDliHook __pfnDliNotifyHook2 = HostExecutableHook;
PfnDliHook __pfnDliFailureHook2 = nullptr;
}

#endif
