/* Rust's standard library on Windows takes its random numbers from ProcessPrng in
 * bcryptprimitives.dll, which Debian's Wine 8.0 lacks: without this stand-in every Rust program
 * exits at once under that Wine (code 53, "DLL not found"). It asks bcrypt.dll, which Wine has,
 * for the same thing. Only `cargo xtask cross` builds it, for running tests under Wine; nothing
 * shipped contains it. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    return BCryptGenRandom(NULL, data, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;
}
