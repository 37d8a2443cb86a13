/* Wine test-harness stand-in for Windows' system icuuc.dll (Windows 10 1703+ ships the real one; Wine 8 has none).
   Qt6Core imports only the ucnv_* converter API from it. Every converter open fails (U_FILE_ACCESS_ERROR), so Qt
   treats non-UTF codecs as unavailable. NOT for shipping: it goes into the Wine prefix's system32 only. */
#include <stddef.h>
#include <stdint.h>
typedef int UErrorCode; typedef uint16_t UChar; typedef int8_t UBool; typedef struct UConverter UConverter;
#define U_FILE_ACCESS_ERROR 4
#define U_ILLEGAL_ARGUMENT_ERROR 1
#define EXPORT __declspec(dllexport)
static void fail(UErrorCode *e) { if (e && *e <= 0) *e = U_ILLEGAL_ARGUMENT_ERROR; }
EXPORT UConverter *ucnv_open(const char *name, UErrorCode *e) { (void)name; if (e && *e <= 0) *e = U_FILE_ACCESS_ERROR; return NULL; }
EXPORT void ucnv_close(UConverter *c) { (void)c; }
EXPORT void ucnv_reset(UConverter *c) { (void)c; }
EXPORT int8_t ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 4; }
EXPORT const char *ucnv_getName(const UConverter *c, UErrorCode *e) { (void)c; fail(e); return NULL; }
EXPORT void ucnv_getToUCallBack(const UConverter *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
EXPORT void ucnv_getFromUCallBack(const UConverter *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
EXPORT void ucnv_setToUCallBack(UConverter *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *e) { (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; fail(e); }
EXPORT void ucnv_setFromUCallBack(UConverter *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *e) { (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; fail(e); }
EXPORT void ucnv_cbToUWriteUChars(void *a, const UChar *s, int32_t l, int32_t o, UErrorCode *e) { (void)a; (void)s; (void)l; (void)o; fail(e); }
EXPORT void ucnv_cbFromUWriteUChars(void *a, const UChar **s, const UChar *sl, int32_t o, UErrorCode *e) { (void)a; (void)s; (void)sl; (void)o; fail(e); }
EXPORT void ucnv_toUnicode(UConverter *c, UChar **t, const UChar *tl, const char **s, const char *sl, int32_t *o, UBool f, UErrorCode *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(e); }
EXPORT void ucnv_fromUnicode(UConverter *c, char **t, const char *tl, const UChar **s, const UChar *sl, int32_t *o, UBool f, UErrorCode *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(e); }
EXPORT int32_t ucnv_toUCountPending(const UConverter *c, UErrorCode *e) { (void)c; fail(e); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const UConverter *c, UErrorCode *e) { (void)c; fail(e); return 0; }
EXPORT const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) { (void)n; (void)s; fail(e); return NULL; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const UChar *cu, int32_t l, int32_t cp, int r, UErrorCode *e) { (void)c; (void)a; (void)cu; (void)l; (void)cp; (void)r; (void)e; }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *cu, int32_t l, int r, UErrorCode *e) { (void)c; (void)a; (void)cu; (void)l; (void)r; (void)e; }
