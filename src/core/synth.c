#include "core/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idno.h"
#include "core/upload.h"

/* splitmix64: a good, tiny, stateless mixer. */
static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

#define N(a) (sizeof a / sizeof a[0])

static const char *const surnames[] = {
        "王",   "李",   "张",   "刘",   "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
        "胡",   "郭",   "何",   "林",   "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
        "邓",   "曹",   "彭",   "曾",   "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜",
        "叶",   "程",   "魏",   "苏",   "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭",
        "陆",   "范",   "汪",   "廖",   "石", "金", "韦", "贾", "夏", "付", "方", "邹", "熊", "白",
        "欧阳", "司马", "上官", "诸葛", "禤", "亓", "靳", "隗", "逄", "竺"};
static const char *const given[] = {
        "伟",   "芳",   "娜",   "敏",   "静",   "丽",   "强",   "磊",   "军",   "洋",
        "勇",   "艳",   "杰",   "娟",   "涛",   "明",   "超",   "秀英", "霞",   "平",
        "刚",   "桂英", "华",   "鑫",   "宇",   "浩",   "婷",   "欣怡", "子涵", "梓萱",
        "一诺", "俊杰", "思远", "雨桐", "博文", "晨曦", "嘉怡", "天佑", "堃",   "喆",
        "玥",   "琰",   "昇",   "翀",   "淼",   "垚",   "燚",   "犇",   "赟",   "彧"};
/* Rare characters, some outside the BMP (CJK Extension B and beyond): a name may carry one. */
static const char *const rare[] = {"䶮", "𠇔", "𡒄", "𣲗", "𤭢", "𦍒", "𨚕", "𪚥", "龑", "㵘"};

static const struct {
	const char *code, *name;
} majors[] = {{"020201K", "财政学"},
              {"020301K", "金融学"},
              {"020101", "经济学"},
              {"030101K", "法学"},
              {"030201", "政治学与行政学"},
              {"040101", "教育学"},
              {"050101", "汉语言文学"},
              {"050201", "英语"},
              {"070101", "数学与应用数学"},
              {"071401", "统计学"},
              {"080901", "计算机科学与技术"},
              {"080902", "软件工程"},
              {"081001", "土木工程"},
              {"082502", "环境工程"},
              {"090101", "农学"},
              {"100201K", "临床医学"},
              {"120203K", "会计学"},
              {"120204", "财务管理"},
              {"120401", "公共事业管理"},
              {"120402", "行政管理"},
              {"120103", "工程管理"},
              {"050301", "新闻学"},
              {"030302", "社会工作"},
              {"082801", "建筑学"}};
static const char *const schools[] = {
        "安徽大学",     "中国科学技术大学", "合肥工业大学", "南京大学",     "东南大学",
        "浙江大学",     "武汉大学",         "中山大学",     "四川大学",     "山东大学",
        "吉林大学",     "西北大学",         "郑州大学",     "安徽师范大学", "安徽财经大学",
        "安徽农业大学", "江南大学",         "苏州大学",     "湖南大学",     "云南大学"};

void kw_synth_candidate(uint64_t seed, uint64_t index, int ref_year, struct kw_synth *out)
{
	memset(out, 0, sizeof *out);
	uint64_t r = mix(seed ^ mix(index));
	/* Unique by index: region × birth day × sequence. */
	uint64_t nreg = 0;
	while (kw_idno_sample_regions[nreg])
		nreg++;
	/* A bijection of the index space (1000003 is prime to nreg × 12775 × 1000), so that
	 * neighbouring rows do not share a birthday. */
	uint64_t space = nreg * 12775 * 1000;
	uint64_t at = (index % space) * 1000003 % space;
	const char *region = kw_idno_sample_regions[at % nreg];
	uint64_t rest = at / nreg;
	int day = (int)(rest % 12775); /* 1970-01-01 .. 2004-12-31 */
	int seq = (int)((rest / 12775) % 1000);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = 1970, m = 1, d = day;
	for (;;) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int yd = 365 + leap;
		if (d < yd)
			break;
		d -= yd;
		y++;
	}
	for (;;) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int md = mdays[m - 1] + (m == 2 && leap);
		if (d < md)
			break;
		d -= md;
		m++;
	}
	d++;
	char birth8[9];
	unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
	snprintf(birth8, sizeof birth8, "%04u%02u%02u", uy, um, ud);
	kw_idno_make(region, birth8, seq, out->id_number);
	out->sex = seq % 2 ? 'M' : 'F';
	snprintf(out->birth_date, sizeof out->birth_date, "%04u-%02u-%02u", uy, um, ud);
	memcpy(out->household_region, region, 7);

	/* Name: a surname, one or two given characters, a rare one in about 1 of 50. */
	const char *g1 = given[(r >> 8) % N(given)];
	const char *g2 = (r >> 16) % 3 ? given[(r >> 20) % N(given)] : "";
	if ((r >> 28) % 50 == 0)
		g1 = rare[(r >> 34) % N(rare)];
	snprintf(out->name, sizeof out->name, "%s%s%s", surnames[r % N(surnames)], g1, g2);
	static const char *const pre[] = {"130", "135", "138", "139", "150",
	                                  "158", "177", "186", "188", "199"};
	snprintf(out->phone, sizeof out->phone, "%s%08u", pre[(r >> 40) % N(pre)],
	         (unsigned)((r >> 12) % 100000000));

	uint64_t e = mix(r);
	unsigned lv = (unsigned)(e % 100);
	/* Roughly: 10% junior college, 60% bachelor, 25% master, 5% doctorate among applicants. */
	if (lv < 10)
		out->education_level = "junior_college", out->degree = "none";
	else if (lv < 70)
		out->education_level = "bachelor", out->degree = "bachelor";
	else if (lv < 95)
		out->education_level = "master", out->degree = "master";
	else
		out->education_level = "doctorate", out->degree = "doctorate";
	unsigned mj = (unsigned)((e >> 8) % N(majors));
	out->major_code = majors[mj].code;
	out->major = majors[mj].name;
	out->school = schools[(e >> 16) % N(schools)];
	int grad = y + (lv < 10 ? 21 : lv < 70 ? 22 : lv < 95 ? 25 : 28);
	if (grad > ref_year)
		grad = ref_year;
	snprintf(out->graduated_on, sizeof out->graduated_on, "%04u-07-01",
	         (unsigned)grad % 10000u);
	out->work_years = ref_year - grad > 0 ? ref_year - grad : 0;
	out->grassroots_years =
	        out->work_years ? (int)((e >> 24) % (unsigned)(out->work_years + 1)) : 0;
	unsigned ps = (unsigned)((e >> 32) % 100);
	out->political_status = ps < 25   ? "cpc_member"
	                        : ps < 30 ? "cpc_probationary"
	                        : ps < 60 ? "cyl_member"
	                        : ps < 62 ? "democratic_party"
	                                  : "masses";
	out->pick = mix(e);
	out->photo = (int)(out->pick % KW_SYNTH_PHOTOS);
}

int kw_synth_photo(int k, unsigned char **jpeg, size_t *len)
{
	enum { W = 360, H = 480 };
	static const unsigned char bg[][3] = {{67, 142, 219}, {255, 255, 255}, {200, 32, 44}};
	static const unsigned char skin[][3] = {
	        {241, 200, 170}, {224, 178, 140}, {198, 150, 112}, {232, 190, 160}};
	static const unsigned char cloth[][3] = {
	        {30, 34, 48}, {240, 240, 236}, {52, 70, 110}, {80, 80, 84}};
	k = ((k % KW_SYNTH_PHOTOS) + KW_SYNTH_PHOTOS) % KW_SYNTH_PHOTOS;
	const unsigned char *b = bg[k % 3], *s = skin[k % 4], *c = cloth[(k / 4) % 4];
	unsigned char *pix = malloc((size_t)W * H * 3);
	if (!pix)
		return -1;
	uint64_t r = mix(0x70686f746fULL + (uint64_t)k);
	double hx = 85 + k % 5 * 3, hy = 108 + k % 3 * 4; /* head radii */
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			const unsigned char *col = b;
			double dx = x - W / 2.0, dy = y - 215.0;
			double head = dx * dx / (hx * hx) + dy * dy / (hy * hy);
			double hair = dx * dx / ((hx + 8) * (hx + 8)) +
			              (dy + 10) * (dy + 10) / ((hy + 12) * (hy + 12));
			double by = y - 590.0,
			       body = dx * dx / (175.0 * 175.0) + by * by / (190.0 * 190.0);
			static const unsigned char dark[3] = {28, 24, 22};
			if (body < 1)
				col = c;
			else if (hair < 1 && y < 190)
				col = dark;
			else if (head < 1 || (y > 300 && y < 350 && dx > -30 && dx < 30))
				col = s;
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			int noise = (int)(r >> 61) - 3; /* a little grain, as a camera gives */
			unsigned char *q = pix + ((size_t)y * W + x) * 3;
			for (int i = 0; i < 3; i++) {
				int v = col[i] + noise;
				q[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
		}
	int rc = kw_jpeg_encode_rgb(pix, W, H, 88, jpeg, len);
	free(pix);
	return rc;
}
