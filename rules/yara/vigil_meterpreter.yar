/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil_meterpreter.yar - Metasploit/Meterpreter stagers and reflective
 * loaders: the raw stager prologue of the x86 and x64 block_api payloads,
 * the same bytes written as a C#/C byte-array literal (how an MSBuild
 * "test.xml" or a dropper carries them), and reflective DLLs exporting
 * ReflectiveLoader with Meterpreter's own names. Byte patterns are the
 * public Metasploit block_api prologue and its ROR-13 API hashes.
 * Externals: none.
 */

rule VIGIL_Meterpreter_Stager_Shellcode
{
    meta:
        description = "Metasploit block_api stager prologue with ROR-13 API hashes (raw shellcode)"
        author = "Vigil"
        reference = "https://github.com/rapid7/metasploit-framework/tree/master/external/source/shellcode/windows"
        score = 85
    strings:
        /* x86: cld; call; pushad; mov ebp,esp; xor eax,eax; mov edx,fs:[eax+0x30] */
        $x86 = { FC E8 8? 00 00 00 60 89 E5 31 (C0 | D2) 64 8B (50 | 52) 30 }
        /* x64: cld; and rsp,-16; call; push r9; push r8; push rdx; push rcx; push rsi; xor rdx,rdx; mov rdx,gs:[rdx+0x60] */
        $x64 = { FC 48 83 E4 F0 E8 C? 00 00 00 41 51 41 50 52 51 56 48 31 D2 65 48 8B 52 60 }
        /* ROR-13 hashes pushed before "call ebp": LoadLibraryA, WSAStartup, VirtualAlloc */
        $h1 = { 68 4C 77 26 07 }
        $h2 = { 68 29 80 6B 00 }
        $h3 = { 68 58 A4 53 E5 }
        $h4 = { 41 BA 4C 77 26 07 }
        $h5 = { 41 BA 58 A4 53 E5 }
    condition:
        ($x86 or $x64) and 1 of ($h*)
}

rule VIGIL_Meterpreter_Stager_ByteArray
{
    meta:
        description = "Metasploit stager prologue written as a C#/C byte-array literal (loader source or MSBuild project)"
        author = "Vigil"
        score = 85
    strings:
        $x64 = /0x[fF][cC],\s{0,2}0x48,\s{0,2}0x83,\s{0,2}0x[eE]4,\s{0,2}0x[fF]0,\s{0,2}0x[eE]8/
        $x86 = /0x[fF][cC],\s{0,2}0x[eE]8,\s{0,2}0x8[0-9a-fA-F],\s{0,2}0x00,\s{0,2}0x00,\s{0,2}0x00,\s{0,2}0x60,\s{0,2}0x89/
    condition:
        filesize < 20MB and 1 of them
}

rule VIGIL_Meterpreter_Reflective_DLL
{
    meta:
        description = "PE exporting ReflectiveLoader with Meterpreter component names (metsrv / extension DLL)"
        author = "Vigil"
        score = 90
    strings:
        $rl = "ReflectiveLoader" ascii
        $m1 = "metsrv" ascii wide nocase
        $m2 = "core_channel_open" ascii
        $m3 = "stdapi_sys_process_execute" ascii
        $m4 = "core_loadlib" ascii
        $m5 = "ext_server_" ascii
    condition:
        uint16(0) == 0x5A4D and filesize < 20MB and $rl and 1 of ($m*)
}
