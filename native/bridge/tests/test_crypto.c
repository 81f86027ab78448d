/* CRC-32 (zlib) check values, SHA-256 (FIPS 180-4 examples) and HMAC-SHA256 (RFC 4231). */
#include "test_util.h"

static void crc(const char *s, unsigned int want)
{
    CHECK_EQ(gb_crc32((const unsigned char *)s, (int)strlen(s)), want);
}

static void sha(const char *s, const char *want)
{
    char out[65];
    CHECK_EQ(gb_sha256_hex((const unsigned char *)s, (int)strlen(s), out), 64);
    CHECK_STR(out, want);
}

static void hmac(const unsigned char *key, int klen, const unsigned char *data, int dlen, const char *want)
{
    char out[65];
    CHECK_EQ(gb_hmac_sha256_hex(key, klen, data, dlen, out), 64);
    CHECK(strncmp(out, want, strlen(want)) == 0); /* RFC 4231 case 5 gives a 128-bit prefix */
    if (strncmp(out, want, strlen(want)) != 0) fprintf(stderr, "  got %s\n  want %s\n", out, want);
}

int main(void)
{
    unsigned char k[131], d[200];
    char *big, out[65];
    int i;

    crc("", 0x00000000u);
    crc("123456789", 0xCBF43926u);
    crc("The quick brown fox jumps over the lazy dog", 0x414FA339u);
    CHECK_EQ(gb_crc32(NULL, 0), 0);
    CHECK_EQ(gb_crc32(NULL, 5), 0);       /* bad input: no crash */
    CHECK_EQ(gb_crc32((const unsigned char *)"x", -1), 0);

    sha("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    big = (char *)malloc(1000001);
    memset(big, 'a', 1000000);
    big[1000000] = '\0';
    sha(big, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(big);

    /* RFC 4231 test cases 1-7. */
    memset(k, 0x0b, 20);
    hmac(k, 20, (const unsigned char *)"Hi There", 8,
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    hmac((const unsigned char *)"Jefe", -1, (const unsigned char *)"what do ya want for nothing?", 28,
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(k, 0xaa, 20);
    memset(d, 0xdd, 50);
    hmac(k, 20, d, 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    for (i = 0; i < 25; i++) k[i] = (unsigned char)(i + 1);
    memset(d, 0xcd, 50);
    hmac(k, 25, d, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    memset(k, 0x0c, 20);
    hmac(k, 20, (const unsigned char *)"Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b");
    memset(k, 0xaa, 131);
    hmac(k, 131, (const unsigned char *)"Test Using Larger Than Block-Size Key - Hash Key First", 54,
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    {
        const char *m = "This is a test using a larger than block-size key and a larger than block-size data. "
                        "The key needs to be hashed before being used by the HMAC algorithm.";
        hmac(k, 131, (const unsigned char *)m, (int)strlen(m),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    }

    /* Bad input is refused, never a crash. */
    CHECK_EQ(gb_sha256_hex(NULL, 3, out), GB_E_ARG);
    CHECK_EQ(gb_sha256_hex((const unsigned char *)"a", 1, NULL), GB_E_ARG);
    CHECK_EQ(gb_hmac_sha256_hex(NULL, 4, (const unsigned char *)"a", 1, out), GB_E_ARG);
    CHECK_EQ(gb_hmac_sha256_hex(NULL, 0, (const unsigned char *)"a", 1, out), 64); /* empty key is a key */
    CHECK_EQ(gb_hmac_sha256_hex((const unsigned char *)"k", 1, NULL, 1, out), GB_E_ARG);
    TEST_DONE();
}
