/* Framing edge cases (PROTOCOL.md 2): 4-byte little-endian length, 1 <= N <= 65536. */
#include "test_util.h"

static int len_of(unsigned int n)
{
    unsigned char h[4] = { (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16), (unsigned char)(n >> 24) };
    return gb_frame_length(h, 4);
}

int main(void)
{
    static unsigned char body[70000], out[70010];
    memset(body, 'x', sizeof body);

    CHECK_EQ(len_of(0), GB_E_FRAME_SIZE);
    CHECK_EQ(len_of(1), 1);
    CHECK_EQ(len_of(65536), 65536);
    CHECK_EQ(len_of(65537), GB_E_FRAME_SIZE);
    CHECK_EQ(len_of(0xFFFFFFFFu), GB_E_FRAME_SIZE);
    CHECK_EQ(len_of(0x80000000u), GB_E_FRAME_SIZE); /* would be negative as a signed int */
    CHECK_EQ(len_of(0x00010000u), 65536);
    CHECK_EQ(len_of(0x01000000u), GB_E_FRAME_SIZE);
    CHECK_EQ(gb_frame_length(NULL, 4), GB_E_ARG);
    CHECK_EQ(gb_frame_length(out, 3), GB_E_ARG);  /* not enough bytes for a header */

    /* Encoding: little-endian header, body copied. */
    CHECK_EQ(gb_frame_encode((const unsigned char *)"{}", 2, out, 6), 6);
    CHECK(out[0] == 2 && out[1] == 0 && out[2] == 0 && out[3] == 0 && out[4] == '{' && out[5] == '}');
    CHECK_EQ(gb_frame_encode(body, 300, out, sizeof out), 304);
    CHECK(out[0] == 0x2C && out[1] == 0x01 && out[2] == 0 && out[3] == 0);
    CHECK_EQ(gb_frame_length(out, 4), 300);
    CHECK_EQ(gb_frame_encode(body, 65536, out, sizeof out), 65540);
    CHECK(out[0] == 0 && out[1] == 0 && out[2] == 1 && out[3] == 0);
    CHECK_EQ(gb_frame_encode(body, 65537, out, sizeof out), GB_E_FRAME_SIZE);
    CHECK_EQ(gb_frame_encode(body, 0, out, sizeof out), GB_E_FRAME_SIZE);
    CHECK_EQ(gb_frame_encode(body, 10, out, 13), GB_E_BUFFER); /* short buffer: refused, not overrun */
    CHECK_EQ(gb_frame_encode(body, 10, out, 2), GB_E_BUFFER);
    CHECK_EQ(gb_frame_encode(NULL, 10, out, 100), GB_E_ARG);
    CHECK_EQ(gb_frame_encode(body, -1, out, 100), GB_E_ARG);
    CHECK_EQ(gb_frame_encode(body, 10, NULL, 100), GB_E_ARG);
    TEST_DONE();
}
