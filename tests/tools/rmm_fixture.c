/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmm_fixture.c - builds the RMM test evidence: offline Windows and Linux
 * trees with tool binaries (PE files carrying a version resource), configs,
 * logs and registry hives (SYSTEM, SOFTWARE, NTUSER.DAT), for 30 tools,
 * several ScreenConnect instances, a ScreenConnect server with a web shell,
 * look-alike decoys (a symlink out of the root among them) and a clean tree.
 *
 *   rmm_fixture DIR          write every scenario under DIR/<scenario>/
 *   rmm_fixture --bench DIR N   an offline Windows tree of N files (bench)
 *   rmm_fixture --pe FILE VERSION   one PE file (fuzz seeds)
 *   rmm_fixture --hive FILE  an empty hive built from scratch
 *
 * Hives start as an empty hive this program writes from the regf format
 * (base block, one hbin, root nk and sk cells), then libhivex's write API
 * adds keys and values, so no corpus file is needed. Test tool, not part of
 * libvigil; it writes only under DIR.
 */
#include <errno.h>
#include <fcntl.h>
#include <hivex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "le_bytes.h"

/* ---- small file helpers ------------------------------------------------- */

/* snprintf that refuses to truncate (test paths are short; a long one is a
 * bug in the caller). */
#define FMT(buf, ...)                                                          \
    do {                                                                       \
        int k_ = snprintf(buf, sizeof(buf), __VA_ARGS__);                      \
        if (k_ < 0 || (size_t)k_ >= sizeof(buf)) {                             \
            fprintf(stderr, "rmm_fixture: path too long\n");                   \
            exit(2);                                                           \
        }                                                                      \
    } while (0)

static void
die(const char *what)
{
    fprintf(stderr, "rmm_fixture: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void
mkdirs(const char *path)
{
    char b[4096];
    FMT(b, "%s", path);
    for (char *p = b + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(b, 0755) != 0 && errno != EEXIST)
            die(b);
        *p = '/';
    }
    if (mkdir(b, 0755) != 0 && errno != EEXIST)
        die(b);
}

static void
put(const char *root, const char *rel, const void *data, size_t n)
{
    char path[4096], dir[4096];
    FMT(path, "%s/%s", root, rel);
    FMT(dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash != NULL) {
        *slash = '\0';
        mkdirs(dir);
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        die(path);
    if (n > 0 && fwrite(data, 1, n, f) != n)
        die(path);
    if (fclose(f) != 0)
        die(path);
}

static void
puts_file(const char *root, const char *rel, const char *text)
{
    put(root, rel, text, strlen(text));
}

/* Set a file's mtime to `days` days before now (old installs). */
static void
age(const char *root, const char *rel, int days)
{
    char path[4096];
    FMT(path, "%s/%s", root, rel);
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec -= (time_t)days * 86400;
    tv[1] = tv[0];
    if (utimes(path, tv) != 0)
        die(path);
}

/* ---- growable bytes ------------------------------------------------------ */

struct bytes {
    uint8_t *p;
    size_t n, cap;
};

static void
b_put(struct bytes *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL)
            die("realloc");
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void
b_u16(struct bytes *b, uint16_t v)
{
    uint8_t x[2];
    le_put16(x, v);
    b_put(b, x, 2);
}

static void
b_u32(struct bytes *b, uint32_t v)
{
    uint8_t x[4];
    le_put32(x, v);
    b_put(b, x, 4);
}

static void
b_pad4(struct bytes *b)
{
    while (b->n % 4 != 0)
        b_put(b, "", 1);
}

static void
b_utf16z(struct bytes *b, const char *s)
{
    for (; *s != '\0'; s++)
        b_u16(b, (uint16_t)(unsigned char)*s);
    b_u16(b, 0);
}

/* ---- PE with a version resource ----------------------------------------- */

/* One VS_VERSIONINFO block: header, key, value, children. */
static void
vs_block(struct bytes *out, const char *key, uint16_t type, const void *val,
         size_t val_bytes, uint16_t val_len_field, const struct bytes *kids)
{
    struct bytes b = {0};
    b_u16(&b, 0); /* wLength, patched */
    b_u16(&b, val_len_field);
    b_u16(&b, type);
    b_utf16z(&b, key);
    b_pad4(&b);
    if (val_bytes > 0)
        b_put(&b, val, val_bytes);
    if (kids != NULL && kids->n > 0) {
        b_pad4(&b);
        b_put(&b, kids->p, kids->n);
    }
    le_put16(b.p, (uint16_t)b.n);
    b_pad4(out);
    b_put(out, b.p, b.n);
    free(b.p);
}

static void
vs_string(struct bytes *out, const char *key, const char *val)
{
    struct bytes v = {0};
    b_utf16z(&v, val);
    vs_block(out, key, 1, v.p, v.n, (uint16_t)(strlen(val) + 1), NULL);
    free(v.p);
}

static void
ver_words(const char *v, uint32_t *ms, uint32_t *ls)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    char *end;
    a = (unsigned)strtoul(v, &end, 10);
    if (*end == '.')
        b = (unsigned)strtoul(end + 1, &end, 10);
    if (*end == '.')
        c = (unsigned)strtoul(end + 1, &end, 10);
    if (*end == '.')
        d = (unsigned)strtoul(end + 1, &end, 10);
    *ms = (a << 16) | (b & 0xffff);
    *ls = (c << 16) | (d & 0xffff);
}

static struct bytes
versioninfo(const char *version, const char *company, const char *product)
{
    struct bytes fixed = {0}, strs = {0}, table = {0}, sfi = {0}, root = {0};
    uint32_t ms, ls;
    ver_words(version, &ms, &ls);
    b_u32(&fixed, 0xfeef04bdu);
    b_u32(&fixed, 0x00010000u);
    b_u32(&fixed, ms);
    b_u32(&fixed, ls);
    b_u32(&fixed, ms);
    b_u32(&fixed, ls);
    for (int i = 0; i < 7; i++)
        b_u32(&fixed, 0);
    vs_string(&strs, "CompanyName", company);
    vs_string(&strs, "FileVersion", version);
    vs_string(&strs, "ProductName", product);
    vs_string(&strs, "ProductVersion", version);
    vs_block(&table, "040904b0", 1, NULL, 0, 0, &strs);
    vs_block(&sfi, "StringFileInfo", 1, NULL, 0, 0, &table);
    vs_block(&root, "VS_VERSION_INFO", 0, fixed.p, fixed.n, 52, &sfi);
    free(fixed.p);
    free(strs.p);
    free(table.p);
    free(sfi.p);
    return root;
}

/* PE32+ with one .rsrc section holding RT_VERSION / 1 / 0x409. */
static struct bytes
make_pe(const char *version, const char *company, const char *product)
{
    struct bytes vi = versioninfo(version, company, product);
    struct bytes rs = {0};
    /* three directory levels, each one id entry, then the data entry */
    uint32_t lvl[3][2] = {
        {16, 0x80000000u | 0x18}, {1, 0x80000000u | 0x30}, {0x409, 0x48}};
    for (int l = 0; l < 3; l++) {
        for (int i = 0; i < 3; i++)
            b_u32(&rs, 0);
        b_u16(&rs, 0); /* named */
        b_u16(&rs, 1); /* ids */
        b_u32(&rs, lvl[l][0]);
        b_u32(&rs, lvl[l][1]);
    }
    b_u32(&rs, 0x1000 + 0x58); /* data RVA */
    b_u32(&rs, (uint32_t)vi.n);
    b_u32(&rs, 0);
    b_u32(&rs, 0);
    while (rs.n < 0x58)
        b_put(&rs, "", 1);
    b_put(&rs, vi.p, vi.n);
    free(vi.p);

    struct bytes pe = {0};
    uint8_t hdr[0x200];
    memset(hdr, 0, sizeof(hdr));
    hdr[0] = 'M';
    hdr[1] = 'Z';
    le_put32(hdr + 0x3c, 0x40);
    memcpy(hdr + 0x40, "PE\0\0", 4);
    le_put16(hdr + 0x44, 0x8664); /* machine */
    le_put16(hdr + 0x46, 1);      /* sections */
    le_put16(hdr + 0x54, 240);    /* optional header size */
    le_put16(hdr + 0x56, 0x22);
    uint8_t *opt = hdr + 0x58;
    le_put16(opt, 0x20b);
    le_put32(opt + 108, 16);          /* NumberOfRvaAndSizes */
    le_put32(opt + 112 + 16, 0x1000); /* resource RVA */
    le_put32(opt + 112 + 20, (uint32_t)rs.n);
    uint8_t *sec = opt + 240;
    memcpy(sec, ".rsrc", 5);
    le_put32(sec + 8, (uint32_t)rs.n);  /* virtual size */
    le_put32(sec + 12, 0x1000);         /* virtual address */
    le_put32(sec + 16, (uint32_t)rs.n); /* raw size */
    le_put32(sec + 20, 0x200);          /* raw pointer */
    b_put(&pe, hdr, sizeof(hdr));
    b_put(&pe, rs.p, rs.n);
    free(rs.p);
    return pe;
}

static void
put_pe(const char *root, const char *rel, const char *version,
       const char *company)
{
    struct bytes pe = make_pe(version, company, "Fixture");
    put(root, rel, pe.p, pe.n);
    free(pe.p);
}

/* ---- registry hives ------------------------------------------------------ */

/* An empty hive: base block + one 4 KiB hbin with the root nk, one sk and a
 * free cell. Field layout per the public regf format description. */
static void
empty_hive(const char *path)
{
    uint8_t h[0x2000];
    memset(h, 0, sizeof(h));
    memcpy(h, "regf", 4);
    le_put32(h + 4, 1); /* sequence numbers */
    le_put32(h + 8, 1);
    le_put32(h + 20, 1);      /* major */
    le_put32(h + 24, 3);      /* minor */
    le_put32(h + 32, 1);      /* format */
    le_put32(h + 36, 0x20);   /* root cell offset */
    le_put32(h + 40, 0x1000); /* hive bins size */
    le_put32(h + 44, 1);
    uint32_t x = 0;
    for (int i = 0; i < 508; i += 4)
        x ^= (uint32_t)h[i] | (uint32_t)h[i + 1] << 8 |
             (uint32_t)h[i + 2] << 16 | (uint32_t)h[i + 3] << 24;
    le_put32(h + 508, x);
    uint8_t *bin = h + 0x1000;
    memcpy(bin, "hbin", 4);
    le_put32(bin + 4, 0);
    le_put32(bin + 8, 0x1000);
    /* root nk at 0x20: 4 size + 76 header + 4 name = 84 -> 88 */
    uint8_t *nk = bin + 0x20;
    le_put32(nk, (uint32_t)-88);
    memcpy(nk + 4, "nk", 2);
    le_put16(nk + 6, 0x2c);         /* HIVE_ENTRY|NO_DELETE|COMP_NAME */
    le_put32(nk + 20, 0xffffffffu); /* parent */
    le_put32(nk + 32, 0xffffffffu); /* subkey list */
    le_put32(nk + 36, 0xffffffffu); /* volatile subkey list */
    le_put32(nk + 44, 0xffffffffu); /* value list */
    le_put32(nk + 48, 0x78);        /* sk */
    le_put32(nk + 52, 0xffffffffu); /* class */
    le_put16(nk + 76, 4);           /* name length */
    memcpy(nk + 80, "ROOT", 4);
    /* sk at 0x78: 4 size + 20 header + 20 descriptor = 44 -> 48 */
    uint8_t *sk = bin + 0x78;
    le_put32(sk, (uint32_t)-48);
    memcpy(sk + 4, "sk", 2);
    le_put32(sk + 8, 0x78);    /* flink: itself */
    le_put32(sk + 12, 0x78);   /* blink */
    le_put32(sk + 16, 1);      /* refcount */
    le_put32(sk + 20, 20);     /* descriptor size */
    sk[24] = 1;             /* revision */
    le_put16(sk + 26, 0x8000); /* self-relative */
    /* free cell for the rest of the bin */
    le_put32(bin + 0xa8, 0x1000 - 0xa8);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(h, 1, sizeof(h), f) != sizeof(h) || fclose(f))
        die(path);
}

struct rv {
    const char *name;
    const char *sz; /* REG_SZ value, or NULL */
    uint32_t dword;
};

static hive_node_h
hkey(hive_h *h, const char *path)
{
    char b[1024];
    FMT(b, "%s", path);
    hive_node_h n = hivex_root(h);
    for (char *c = strtok(b, "\\"); c != NULL; c = strtok(NULL, "\\")) {
        hive_node_h k = hivex_node_get_child(h, n, c);
        if (k == 0)
            k = hivex_node_add_child(h, n, c);
        if (k == 0)
            die(path);
        n = k;
    }
    return n;
}

static void
hset(hive_h *h, const char *path, const struct rv *v, size_t n)
{
    hive_node_h k = hkey(h, path);
    hive_set_value sv[16];
    char *bufs[16], *keys[16];
    for (size_t i = 0; i < n; i++) {
        keys[i] = strdup(v[i].name);
        if (v[i].sz != NULL) {
            size_t l = strlen(v[i].sz);
            bufs[i] = calloc(1, (l + 1) * 2);
            for (size_t j = 0; j < l; j++)
                bufs[i][j * 2] = v[i].sz[j];
            sv[i] =
                (hive_set_value){keys[i], hive_t_REG_SZ, (l + 1) * 2, bufs[i]};
        } else {
            bufs[i] = malloc(4);
            le_put32((uint8_t *)bufs[i], v[i].dword);
            sv[i] = (hive_set_value){keys[i], hive_t_REG_DWORD, 4, bufs[i]};
        }
    }
    if (hivex_node_set_values(h, k, n, sv, 0) != 0)
        die(path);
    for (size_t i = 0; i < n; i++) {
        free(bufs[i]);
        free(keys[i]);
    }
}

static hive_h *
hive_new(const char *root, const char *rel, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", root, rel);
    char dir[4096];
    FMT(dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    mkdirs(dir);
    empty_hive(path);
    hive_h *h = hivex_open(path, HIVEX_OPEN_WRITE);
    if (h == NULL)
        die(path);
    return h;
}

static void
hive_done(hive_h *h, const char *path)
{
    if (hivex_commit(h, path, 0) != 0)
        die(path);
    hivex_close(h);
}

#define RV(...) ((const struct rv[]){__VA_ARGS__})
#define NRV(...) (sizeof((const struct rv[]){__VA_ARGS__}) / sizeof(struct rv))
#define SET(h, path, ...) hset(h, path, RV(__VA_ARGS__), NRV(__VA_ARGS__))

static void
service(hive_h *h, const char *name, const char *display, const char *image,
        uint32_t start)
{
    char p[512];
    FMT(p, "ControlSet001\\Services\\%s", name);
    SET(h, p, {"DisplayName", display, 0}, {"ImagePath", image, 0},
        {"Start", NULL, start}, {"Type", NULL, 0x10});
}

static void
uninstall(hive_h *h, const char *key, const char *name, const char *ver,
          const char *date, const char *loc)
{
    char p[512];
    snprintf(p, sizeof(p),
             "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\%s",
             key);
    SET(h, p, {"DisplayName", name, 0}, {"DisplayVersion", ver, 0},
        {"Publisher", "Fixture", 0}, {"InstallDate", date, 0},
        {"InstallLocation", loc, 0});
}

/* ---- scenarios ----------------------------------------------------------- */

#define SC_A "429d9ba6e9123fb4" /* cloud instance */
#define SC_B "0a1b2c3d4e5f6071" /* self-hosted, the foreign one */
#define KBLOB "BgIAAACkAABSU0ExAAgAAAEAAQ%2BtestKeyBlob"

/* 30 tools, one binary each at a catalog install path, with a version. */
static const struct {
    const char *rel, *ver;
} tools30[] = {
    {"Program Files (x86)/AnyDesk/AnyDesk.exe", "7.1.11"},
    {"Program Files/TeamViewer/TeamViewer.exe", "15.41.7"},
    {"Program Files (x86)/Splashtop/Splashtop Remote/Server/SRService.exe",
     "3.5.2.1"},
    {"Program Files/ATERA Networks/AteraAgent/AteraAgent.exe", "1.8.6.7"},
    {"ProgramData/NinjaRMMAgent/NinjaRMMAgent.exe", "5.3.7"},
    {"Program Files (x86)/Advanced Monitoring Agent/winagent.exe", "10.12.4"},
    {"Program Files (x86)/Kaseya/abc123/AgentMon.exe", "9.5.0.12"},
    {"Program Files/RustDesk/rustdesk.exe", "1.2.3"},
    {"Program Files (x86)/NetSupport/NetSupport Manager/client32.exe",
     "12.10.2"},
    {"Program Files (x86)/LogMeIn/x64/LogMeIn.exe", "4.1.14"},
    {"Program Files (x86)/GoToMyPC/g2svc.exe", "11.2.1"},
    {"Windows/Action1/action1_agent.exe", "5.200.1"},
    {"Program Files/Mesh Agent/MeshAgent.exe", "1.1.0"},
    {"Program Files/TacticalAgent/tacticalrmm.exe", "2.6.2"},
    {"Program Files (x86)/Remote Utilities - Host/rutserv.exe", "7.2.2"},
    {"Windows/SysWOW64/rserver30/rserver3.exe", "3.5.2"},
    {"Program Files/uvnc bvba/UltraVNC/winvnc.exe", "1.4.3.6"},
    {"Program Files/TightVNC/tvnserver.exe", "2.8.81"},
    {"Program Files/RealVNC/VNC Server/vncserver.exe", "7.6.0"},
    {"Program Files (x86)/Google/Chrome Remote "
     "Desktop/118.0.5993.11/remoting_host.exe",
     "118.0.5993.11"},
    {"Program Files/DWAgent/runtime/dwagent.exe", "5.4.1"},
    {"Program Files (x86)/Supremo/Supremo.exe", "4.10.3"},
    {"ProgramData/AeroAdmin/AeroAdmin.exe", "4.9.0"},
    {"Program Files/RepairTech/Syncro/Syncro.Service.exe", "1.0.187"},
    {"Program Files/Pulseway/PCMonitorSrv.exe", "9.8.0"},
    {"Program Files (x86)/CentraStage/CagService.exe", "4.4.2050"},
    {"Windows/LTSvc/LTSVC.exe", "230.105"},
    {"Program Files (x86)/UltraViewer/UltraViewer_Desktop.exe", "6.6.49"},
    {"Program Files/Parsec/parsecd.exe", "150.93"},
    {"Program Files (x86)/ISL Online/ISLLight.exe", "4.4.2"},
};

static void
s_tools30(const char *dir)
{
    for (size_t i = 0; i < sizeof(tools30) / sizeof(tools30[0]); i++) {
        put_pe(dir, tools30[i].rel, tools30[i].ver, "Fixture Corp");
        age(dir, tools30[i].rel, 400);
    }
    /* config and logs of tools that have extractors */
    puts_file(dir, "Program Files/Mesh Agent/MeshAgent.msh",
              "MeshName=Ops\nMeshID=0xA1B2C3\n"
              "MeshServer=wss://mesh.attacker.example:443/agent.ashx\n");
    puts_file(dir,
              "Program Files (x86)/NetSupport/NetSupport Manager/client32.ini",
              "[HTTP]\nGatewayAddress=203.0.113.50:443\nGSK=FF;O@GAD\n");
    puts_file(dir, "Users/alice/AppData/Roaming/RustDesk/config/RustDesk2.toml",
              "rendezvous_server = 'x'\n[options]\n"
              "custom-rendezvous-server = 'rd.attacker.example:21116'\n"
              "key = 'abc='\n");
    puts_file(dir, "Users/alice/AppData/Roaming/RustDesk/config/RustDesk.toml",
              "id = '1234567890'\npassword = ''\n");
    puts_file(
        dir,
        "Users/alice/AppData/Roaming/RustDesk/log/server/rustdesk_rCURRENT.log",
        "[2023-11-02 10:00:01.100 +00:00] INFO Connection opened from "
        "198.51.100.7:53211.\n"
        "[2023-11-02 10:00:05.000 +00:00] INFO unrelated 10.0.0.1\n");
    puts_file(
        dir,
        "Program Files (x86)/Splashtop/Splashtop Remote/Server/log/SPLog.txt",
        "2023-11-03 08:15:00 Session Connected from 192.0.2.44 (tech)\n");
    puts_file(dir, "Windows/Action1/action1_log_2023-11-04.log",
              "2023-11-04 12:00:00 remote session started by admin@corp "
              "192.0.2.45\n");
}

static void
s_sc_multi(const char *dir)
{
    char sys[4096], soft[4096];
    put_pe(dir,
           "Program Files (x86)/ScreenConnect Client (" SC_A
           ")/ScreenConnect.ClientService.exe",
           "23.9.7.8804", "ConnectWise, LLC");
    put_pe(dir,
           "Program Files (x86)/ScreenConnect Client (" SC_B
           ")/ScreenConnect.ClientService.exe",
           "22.4.1.2", "ConnectWise, LLC");
    puts_file(
        dir, "ProgramData/ScreenConnect Client (" SC_B ")/user.config",
        "<?xml "
        "version=\"1.0\"?><configuration><ScreenConnect.ApplicationSettings>"
        "<setting name=\"x\"><value>?e=Access&amp;y=Guest&amp;h=rs.evil.example"
        "&amp;p=8041&amp;k=" KBLOB
        "</value></setting></ScreenConnect.ApplicationSettings>"
        "</configuration>\n");
    mkdirs(dir); /* Temp version folder, shared by the instances */
    char tmp[4096];
    FMT(tmp, "%s/Windows/Temp/ScreenConnect/23.9.7.8804", dir);
    mkdirs(tmp);
    /* server install with a web shell in the root of App_Extensions */
    put_pe(dir,
           "Program Files (x86)/ScreenConnect/Bin/ScreenConnect.Service.exe",
           "23.9.7.8804", "ConnectWise, LLC");
    puts_file(
        dir, "Program Files (x86)/ScreenConnect/App_Data/User.xml",
        "<Users xmlns:xsi=\"x\"><User><Name>admin</Name>"
        "<CreationDate>2019-01-01</CreationDate></User>"
        "<User><Name>hacker2024</Name><CreationDate>2024-02-20</CreationDate>"
        "</User></Users>\n");
    puts_file(dir, "Program Files (x86)/ScreenConnect/App_Extensions/x.aspx",
              "<%@ Page Language=\"C#\" %>\n");
    puts_file(dir,
              "Program Files (x86)/ScreenConnect/App_Extensions/"
              "2d4a5b-ext/Web.ashx",
              "legit extension in a sub-folder\n");
    hive_h *h =
        hive_new(dir, "Windows/System32/config/SYSTEM", sys, sizeof(sys));
    SET(h, "Select", {"Current", NULL, 1});
    service(
        h, "ScreenConnect Client (" SC_A ")", "ScreenConnect Client (" SC_A ")",
        "\"C:\\Program Files (x86)\\ScreenConnect Client (" SC_A ")\\"
        "ScreenConnect.ClientService.exe\" \"?e=Access&y=Guest&h=instance-"
        "abc123-relay.screenconnect.com&p=443&s=1e2d&k=" KBLOB "&t=&c=&c=\"",
        2);
    service(h, "ScreenConnect Client (" SC_B ")",
            "ScreenConnect Client (" SC_B ")",
            "\"C:\\Program Files (x86)\\ScreenConnect Client (" SC_B ")\\"
            "ScreenConnect.ClientService.exe\" \"?e=Access&y=Guest&h=rs.evil."
            "example&p=8041&s=9f&k=" KBLOB "&t=&c=\"",
            2);
    service(h, "ScreenConnect Web Server", "ScreenConnect Web Server",
            "\"C:\\Program Files "
            "(x86)\\ScreenConnect\\Bin\\ScreenConnect.Service.exe\"",
            2);
    service(h, "Spooler", "Print Spooler", "C:\\Windows\\System32\\spoolsv.exe",
            2);
    hive_done(h, sys);
    h = hive_new(dir, "Windows/System32/config/SOFTWARE", soft, sizeof(soft));
    uninstall(h, "{A1}", "ScreenConnect Client (" SC_A ")", "23.9.7.8804",
              "20190301", "");
    uninstall(h, "{B2}", "ScreenConnect Client (" SC_B ")", "22.4.1.2",
              "20231101", "");
    hive_done(h, soft);
}

static void
s_anydesk_tv(const char *dir)
{
    char sys[4096], soft[4096], nt[4096];
    put_pe(dir, "Program Files (x86)/AnyDesk/AnyDesk.exe", "8.0.6",
           "philandro Software GmbH");
    puts_file(dir, "ProgramData/AnyDesk/system.conf",
              "ad.anynet.alias=\nad.anynet.id=123456789\nad.anynet.cert=...\n");
    puts_file(dir, "ProgramData/AnyDesk/service.conf",
              "ad.anynet.pwd_hash=3f2a9c\nad.anynet.pwd_salt=a1b2\n");
    puts_file(dir, "ProgramData/AnyDesk/connection_trace.txt",
              "Incoming 2023-11-01, 09:12 Passwd 547911884 547911884\r\n"
              "Incoming 2023-11-02, 22:40 User 442226597 442226597\r\n"
              "garbage line\n");
    puts_file(dir, "ProgramData/AnyDesk/ad_svc.trace",
              "   info 2023-11-02 22:40:01.117       gsvc   4188   5340        "
              "            main - * Version 8.0.6 (release/8.0.x 1a2b3c)\n"
              "   info 2023-11-02 22:40:03.001       gsvc   4188   5340   3 "
              "anynet.any_socket - Client-ID: 442226597 (FPR: 9a8b).\n"
              "   info 2023-11-02 22:40:03.375       gsvc   4188   5340   3 "
              "anynet.relay_conn - Logged in from 203.0.113.9:59562 on relay "
              "80e496c0.\n");
    put_pe(dir, "Program Files/TeamViewer/TeamViewer.exe", "15.41.7",
           "TeamViewer Germany GmbH");
    puts_file(dir, "Program Files/TeamViewer/Connections_incoming.txt",
              "987654321\tEVIL-PC\t02-11-2023 23:05:10\t02-11-2023 "
              "23:40:00\tbob\tRemoteControl\t{0001}\n"
              "111222333\tHELPDESK\t01-11-2023 08:00:00\t01-11-2023 "
              "08:10:00\tbob\tFileTransfer\t{0002}\n");
    hive_h *h =
        hive_new(dir, "Windows/System32/config/SYSTEM", sys, sizeof(sys));
    SET(h, "Select", {"Current", NULL, 2});
    /* the current control set is 002: 001 holds a stale decoy */
    SET(h, "ControlSet001\\Services\\Stale",
        {"ImagePath", "C:\\x\\AnyDesk.exe", 0});
    hive_done(h, sys);
    h = hivex_open(sys, HIVEX_OPEN_WRITE);
    {
        char p[256];
        FMT(p, "ControlSet002\\Services\\AnyDesk");
        SET(h, p, {"DisplayName", "AnyDesk Service", 0},
            {"ImagePath",
             "\"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe\" --service", 0},
            {"Start", NULL, 2}, {"Type", NULL, 0x10});
        SET(h, "ControlSet002\\Services\\TeamViewer",
            {"ImagePath",
             "\"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe\"", 0},
            {"Start", NULL, 2}, {"Type", NULL, 0x10});
        SET(h, "ControlSet002\\Services\\wuauserv",
            {"ImagePath", "C:\\Windows\\system32\\svchost.exe -k netsvcs", 0},
            {"Start", NULL, 3}, {"Type", NULL, 0x20});
    }
    hive_done(h, sys);
    h = hive_new(dir, "Windows/System32/config/SOFTWARE", soft, sizeof(soft));
    uninstall(h, "AnyDesk", "AnyDesk", "ad 8.0.6", "20231101",
              "\"C:\\Program Files (x86)\\AnyDesk\"");
    SET(h, "WOW6432Node\\TeamViewer", {"ClientID", NULL, 1122334455u},
        {"Version", "15.41.7", 0});
    SET(h, "ATERA Networks\\AlphaAgent",
        {"IntegratorLogin", "eve@attacker.example", 0},
        {"AccountId", "001Q300000XYZ", 0});
    hive_done(h, soft);
    h = hive_new(dir, "Users/bob/NTUSER.DAT", nt, sizeof(nt));
    SET(h, "Software\\Microsoft\\Windows\\CurrentVersion\\Run",
        {"Updater",
         "\"C:\\Users\\bob\\AppData\\Roaming\\Temp1\\client32.exe\" /silent",
         0},
        {"OneDrive",
         "\"C:\\Users\\bob\\AppData\\Local\\OneDrive\\OneDrive.exe\"", 0});
    hive_done(h, nt);
    put_pe(dir, "Users/bob/AppData/Roaming/Temp1/client32.exe", "12.10.2",
           "NetSupport Ltd");
    puts_file(dir, "Users/bob/AppData/Roaming/Temp1/client32.ini",
              "[HTTP]\nGatewayAddress=198.51.100.23:443\n");
}

static void
s_decoys(const char *dir, const char *outside)
{
    /* names that look like RMM tools but are not at a catalog path, or are
     * not what the catalog names */
    put_pe(dir, "Program Files/AnyDesk2/AnyDesk.exe", "7.0.0", "x");
    put_pe(dir, "Program Files/TeamViewer/TeamViewer.exe.bak", "15.0.0", "x");
    puts_file(dir, "ProgramData/ScreenConnect Client/user.config",
              "?e=Access&h=decoy.example&p=1\n");
    puts_file(dir, "ProgramData/AnyDeskHelper/system.conf", "ad.anynet.id=1\n");
    puts_file(dir, "Program Files/Mesh Agent Notes/MeshAgent.msh",
              "MeshServer=wss://decoy.example/agent.ashx\n");
    /* a symlink at a catalog path pointing out of the root: never followed */
    char link[4096], target[4096];
    put_pe(outside, "rustdesk.exe", "1.0.0", "x");
    FMT(target, "%s/rustdesk.exe", outside);
    FMT(link, "%s/Program Files/RustDesk", dir);
    mkdirs(link);
    FMT(link, "%s/Program Files/RustDesk/rustdesk.exe", dir);
    if (symlink(target, link) != 0)
        die(link);
    /* a symlinked folder out of the root at a catalog folder */
    FMT(link, "%s/Program Files (x86)/Supremo", dir);
    mkdirs(dir);
    char pf[4096];
    FMT(pf, "%s/Program Files (x86)", dir);
    mkdirs(pf);
    if (symlink(outside, link) != 0)
        die(link);
    put_pe(outside, "Supremo.exe", "4.0", "x");
    char sys[4096], soft[4096];
    hive_h *h =
        hive_new(dir, "Windows/System32/config/SYSTEM", sys, sizeof(sys));
    SET(h, "Select", {"Current", NULL, 1});
    service(h, "ScreenConnectUpdater", "Screen Connect Updater",
            "C:\\Tools\\scupdate.exe", 3);
    service(h, "AnyDeskPrinterHelper", "Printer helper",
            "C:\\Windows\\System32\\adprint.exe", 3);
    service(h, "TeamViewerFake", "Team Viewer Fake", "C:\\x\\tvfake.exe", 3);
    hive_done(h, sys);
    h = hive_new(dir, "Windows/System32/config/SOFTWARE", soft, sizeof(soft));
    uninstall(h, "{D1}", "AnyDesktop Organizer", "2.0", "20231101", "");
    uninstall(h, "{D2}", "ScreenConnectivity Monitor", "1.0", "20231101", "");
    hive_done(h, soft);
}

static void
s_clean(const char *dir)
{
    char sys[4096], soft[4096], nt[4096];
    put_pe(dir, "Program Files/Microsoft Office/root/Office16/WINWORD.EXE",
           "16.0.1", "Microsoft");
    put_pe(dir, "Program Files (x86)/Google/Chrome/Application/chrome.exe",
           "119.0.1", "Google LLC");
    puts_file(dir, "ProgramData/Microsoft/Windows/Start Menu/desktop.ini",
              "[x]\n");
    puts_file(dir, "Users/alice/AppData/Roaming/Microsoft/Windows/Recent/a.lnk",
              "x");
    hive_h *h =
        hive_new(dir, "Windows/System32/config/SYSTEM", sys, sizeof(sys));
    SET(h, "Select", {"Current", NULL, 1});
    service(h, "Spooler", "Print Spooler", "C:\\Windows\\System32\\spoolsv.exe",
            2);
    service(h, "wuauserv", "Windows Update",
            "C:\\Windows\\system32\\svchost.exe -k netsvcs", 3);
    service(h, "TermService", "Remote Desktop Services",
            "C:\\Windows\\System32\\svchost.exe -k NetworkService", 3);
    hive_done(h, sys);
    h = hive_new(dir, "Windows/System32/config/SOFTWARE", soft, sizeof(soft));
    uninstall(h, "{C1}", "Microsoft Office Professional Plus 2019", "16.0",
              "20220101", "");
    uninstall(h, "{C2}", "Google Chrome", "119.0", "20231001", "");
    SET(h, "Microsoft\\Windows\\CurrentVersion\\Run",
        {"SecurityHealth", "C:\\Windows\\system32\\SecurityHealthSystray.exe",
         0});
    hive_done(h, soft);
    h = hive_new(dir, "Users/alice/NTUSER.DAT", nt, sizeof(nt));
    SET(h, "Software\\Microsoft\\Windows\\CurrentVersion\\Run",
        {"OneDrive",
         "\"C:\\Users\\alice\\AppData\\Local\\OneDrive\\OneDrive.exe\" "
         "/background",
         0});
    hive_done(h, nt);
}

static void
s_linux(const char *dir)
{
    puts_file(dir, "opt/connectwisecontrol-" SC_B "/ClientLaunchParameters.txt",
              "?e=Access&y=Guest&h=rs.evil.example&p=8041&s=77&k=" KBLOB
              "&t=&c=\n");
    puts_file(dir, "etc/systemd/system/connectwisecontrol-" SC_B ".service",
              "[Service]\nExecStart=/opt/connectwisecontrol-" SC_B "/run.sh\n");
    puts_file(dir, "etc/anydesk/system.conf", "ad.anynet.id=555666777\n");
    puts_file(dir, "etc/anydesk/service.conf", "ad.anynet.pwd_hash=\n");
    puts_file(dir, "usr/bin/anydesk",
              "\x7f"
              "ELF fixture");
    puts_file(dir, "usr/local/mesh_services/meshagent/meshagent",
              "\x7f"
              "ELF fixture");
    puts_file(dir, "usr/local/mesh_services/meshagent/meshagent.msh",
              "MeshServer=wss://10.9.8.7:4433/agent.ashx\nMeshID=0xFEED\n");
    puts_file(dir, "etc/tacticalagent",
              "{\"baseurl\": \"https://api.rmm.attacker.example\", "
              "\"agentid\": \"AbCdEf\", \"apiurl\": \"x\"}\n");
    puts_file(dir, "etc/systemd/system/tacticalagent.service", "[Service]\n");
    puts_file(dir, "home/bob/.config/rustdesk/RustDesk.toml",
              "id = '987987987'\n");
    puts_file(dir, "etc/teamviewer/global.conf",
              "[int32] ClientID = 1357913579\n");
    puts_file(dir, "opt/teamviewer/tv_bin/teamviewerd",
              "\x7f"
              "ELF fixture");
}

/* ---- bench tree ---------------------------------------------------------- */

static void
bench(const char *dir, long n)
{
    /* a Windows-shaped tree: many folders and files that are not RMM, plus a
     * handful of tools the probes must find */
    static const char *const tops[] = {
        "Windows/System32",           "Windows/WinSxS",
        "Program Files/Common Files", "Program Files (x86)/Microsoft",
        "ProgramData/Package Cache",  "Users/alice/AppData/Local/Temp",
        "Users/bob/Documents"};
    char rel[512];
    long made = 0;
    for (long d = 0; made < n; d++) {
        const char *top = tops[d % (long)(sizeof(tops) / sizeof(tops[0]))];
        FMT(rel, "%s/dir%05ld", top, d);
        char full[4096];
        FMT(full, "%s/%s", dir, rel);
        mkdirs(full);
        for (int f = 0; f < 100 && made < n; f++, made++) {
            FMT(full, "%s/%s/file%03d.dll", dir, rel, f);
            int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0)
                die(full);
            close(fd);
        }
    }
    s_tools30(dir);
    s_sc_multi(dir);
}

int
main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--bench") == 0) {
        bench(argv[2], strtol(argv[3], NULL, 10));
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "--pe") == 0) {
        struct bytes pe = make_pe(argv[3], "Fixture Corp", "Fixture");
        put(".", argv[2], pe.p, pe.n);
        free(pe.p);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--hive") == 0) {
        empty_hive(argv[2]);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: rmm_fixture DIR | --bench DIR N | --pe FILE "
                        "VERSION | --hive FILE\n");
        return 2;
    }
    char d[4096], out[4096];
    const char *root = argv[1];
    mkdirs(root);
    FMT(d, "%s/tools30", root);
    s_tools30(d);
    FMT(d, "%s/sc-multi", root);
    s_sc_multi(d);
    FMT(d, "%s/anydesk-tv", root);
    s_anydesk_tv(d);
    FMT(out, "%s/outside", root);
    mkdirs(out);
    FMT(d, "%s/decoys", root);
    s_decoys(d, out);
    FMT(d, "%s/clean", root);
    s_clean(d);
    FMT(d, "%s/linux", root);
    s_linux(d);
    return 0;
}
