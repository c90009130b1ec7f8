/* btf_ext_core.c - a build tool: the .BTF.ext of the tracepoint object
 * cut to its CO-RE relocations, read on stdin and written on stdout.
 * Its func_info and line_info serve only the verifier's messages about
 * our own programs; 550 of the binary's bytes, which a router's flash
 * counts. Runs on the build host, for an object of either byte order. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define EXT_MAGIC 0xeb9f
/* magic, version, flags | hdr_len | func off, len | line off, len |
 * core off, len: u32 words, offsets counted from the header's end. */
enum { W_HDR_LEN = 1, W_FUNC_OFF, W_FUNC_LEN, W_LINE_OFF, W_LINE_LEN, W_CORE_OFF, W_CORE_LEN,
       W_WORDS };

static uint8_t ext[1 << 20];

int main(void)
{
	uint32_t h[W_WORDS], swap, off, len, i;
	size_t n = fread(ext, 1, sizeof(ext), stdin);
	uint16_t magic;

	memcpy(h, ext, sizeof(h));
	memcpy(&magic, ext, sizeof(magic));
	swap = magic != EXT_MAGIC;
	for (i = 1; swap && i < W_WORDS; i++)
		h[i] = __builtin_bswap32(h[i]);
	off = h[W_HDR_LEN] + h[W_CORE_OFF];
	len = h[W_CORE_LEN];
	if (n < sizeof(h) || n == sizeof(ext) || (magic != EXT_MAGIC && magic != __builtin_bswap16(EXT_MAGIC)) ||
	    h[W_HDR_LEN] != sizeof(h) || off < h[W_HDR_LEN] || off > n || len > n - off) {
		fprintf(stderr, "btf_ext_core: not a .BTF.ext with CO-RE relocations\n");
		return 1;
	}
	for (i = W_FUNC_OFF; i < W_CORE_LEN; i++)
		h[i] = 0;
	for (i = 1; swap && i < W_WORDS; i++)
		h[i] = __builtin_bswap32(h[i]);
	return fwrite(h, sizeof(h), 1, stdout) != 1 || fwrite(ext + off, 1, len, stdout) != len;
}
