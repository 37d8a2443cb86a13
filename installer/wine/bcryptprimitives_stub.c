/* Wine 8 test-harness stand-in for bcryptprimitives.dll!ProcessPrng (Windows 8+; Wine gained it in 9.x). Rust's std
   (1.78+) imports it, so every Rust-built extension (cryptography, pydantic-core, uuid-utils) needs it to load. */
#include <windows.h>
#include <ntsecapi.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
