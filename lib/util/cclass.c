/*
 * cclass.c: the ASCII character class table behind inkan_cc_is().
 *
 * One uint16_t of enum inkan_cclass bits per byte value. The table is
 * written out rather than built at run time so that it is const, shared
 * and free of initialisation races; tests/unit/util/test_cclass.c checks
 * every entry against the definitions in inkan/util.h.
 */
#include <inkan/util.h>

/*
 * The combinations that occur, named after what they are. Every VCHAR
 * except ':' is ftext (RFC 5322 3.6.8); atext (RFC 5322 3.2.3) is ALPHA /
 * DIGIT / "!#$%&'*+-/=?^_`{|}~".
 */
#define CC_CTL INKAN_CC_CTL
#define CC_TAB (INKAN_CC_CTL | INKAN_CC_WSP)
#define CC_SP INKAN_CC_WSP
/* ':' is VCHAR but neither atext nor ftext (it ends a field name). */
#define CC_COLON INKAN_CC_VCHAR
/* The RFC 5322 specials other than ':': VCHAR and ftext, not atext. */
#define CC_SPEC (INKAN_CC_VCHAR | INKAN_CC_FTEXT)
/* atext punctuation. */
#define CC_ATP (INKAN_CC_VCHAR | INKAN_CC_ATEXT | INKAN_CC_FTEXT)
#define CC_HYPH (CC_ATP | INKAN_CC_LDH)
#define CC_B64P (CC_ATP | INKAN_CC_BASE64) /* '+' and '/' */
#define CC_DIG                                                             \
	(INKAN_CC_DIGIT | INKAN_CC_HEX | INKAN_CC_VCHAR | INKAN_CC_ATEXT | \
	    INKAN_CC_FTEXT | INKAN_CC_LDH | INKAN_CC_BASE64)
#define CC_LET                                                               \
	(INKAN_CC_ALPHA | INKAN_CC_VCHAR | INKAN_CC_ATEXT | INKAN_CC_FTEXT | \
	    INKAN_CC_LDH | INKAN_CC_BASE64)
#define CC_HEXL (CC_LET | INKAN_CC_HEX) /* A-F a-f */

/* clang-format off */
const uint16_t inkan_cclass_table[256] = {
	/* 0x00-0x07 NUL .. BEL */
	CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL,
	/* 0x08 BS, 0x09 HTAB, 0x0a LF .. 0x0f SI */
	CC_CTL, CC_TAB, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL,
	/* 0x10-0x1f */
	CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL,
	CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL, CC_CTL,
	/* 0x20-0x27: SP ! " # $ % & ' */
	CC_SP, CC_ATP, CC_SPEC, CC_ATP, CC_ATP, CC_ATP, CC_ATP, CC_ATP,
	/* 0x28-0x2f: ( ) * + , - . / */
	CC_SPEC, CC_SPEC, CC_ATP, CC_B64P, CC_SPEC, CC_HYPH, CC_SPEC, CC_B64P,
	/* 0x30-0x37: 0-7 */
	CC_DIG, CC_DIG, CC_DIG, CC_DIG, CC_DIG, CC_DIG, CC_DIG, CC_DIG,
	/* 0x38-0x3f: 8 9 : ; < = > ? */
	CC_DIG, CC_DIG, CC_COLON, CC_SPEC, CC_SPEC, CC_ATP, CC_SPEC, CC_ATP,
	/* 0x40-0x47: @ A-G */
	CC_SPEC, CC_HEXL, CC_HEXL, CC_HEXL, CC_HEXL, CC_HEXL, CC_HEXL, CC_LET,
	/* 0x48-0x4f: H-O */
	CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET,
	/* 0x50-0x57: P-W */
	CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET,
	/* 0x58-0x5f: X Y Z [ \ ] ^ _ */
	CC_LET, CC_LET, CC_LET, CC_SPEC, CC_SPEC, CC_SPEC, CC_ATP, CC_ATP,
	/* 0x60-0x67: ` a-g */
	CC_ATP, CC_HEXL, CC_HEXL, CC_HEXL, CC_HEXL, CC_HEXL, CC_HEXL, CC_LET,
	/* 0x68-0x6f: h-o */
	CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET,
	/* 0x70-0x77: p-w */
	CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET, CC_LET,
	/* 0x78-0x7f: x y z { | } ~ DEL */
	CC_LET, CC_LET, CC_LET, CC_ATP, CC_ATP, CC_ATP, CC_ATP, CC_CTL,
	/* 0x80-0xff: not ASCII, no class (zero). */
};
/* clang-format on */
