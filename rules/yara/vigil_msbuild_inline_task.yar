/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil_msbuild_inline_task.yar - MSBuild project files whose inline C#
 * task (CodeTaskFactory / RoslynCodeTaskFactory, LOLBAS Msbuild.yml,
 * ATT&CK T1127.001) allocates and runs memory, loads an assembly from
 * bytes, or downloads code. This is the shape of the "test.xml" payload
 * in the 2023 ScreenConnect healthcare incident (C# that loaded
 * Meterpreter without PowerShell; MSBuild as the runner is inferred, see
 * docs/FIELD-NOTES.md). Legitimate inline tasks (string munging, file
 * copies) do not match: each rule needs the task factory AND a
 * capability that build logic has no use for.
 * Externals: none. Scores follow Loki's scale (60 warning, 80+ alert).
 */

private rule VIGIL_MSBuild_Inline_Task
{
    meta:
        description = "MSBuild project with an inline code task"
        author = "Vigil"
    strings:
        $project = "<Project" ascii wide nocase
        $using = "<UsingTask" ascii wide nocase
        $f1 = "CodeTaskFactory" ascii wide
        $code = "<Code" ascii wide nocase
    condition:
        filesize < 20MB and $project and $using and $f1 and $code
}

rule VIGIL_MSBuild_InlineTask_Memory_Exec
{
    meta:
        description = "MSBuild inline C# task allocates executable memory and runs it (shellcode loader)"
        author = "Vigil"
        reference = "https://lolbas-project.github.io/lolbas/Binaries/Msbuild/"
        mitre = "T1127.001"
        score = 90
    strings:
        $alloc1 = "VirtualAlloc" ascii wide
        $alloc2 = "VirtualProtect" ascii wide
        $alloc3 = "NtAllocateVirtualMemory" ascii wide
        $exec1 = "CreateThread" ascii wide
        $exec2 = "GetDelegateForFunctionPointer" ascii wide
        $exec3 = "QueueUserAPC" ascii wide
        $exec4 = "CreateRemoteThread" ascii wide
        $exec5 = "EnumSystemLocales" ascii wide
    condition:
        VIGIL_MSBuild_Inline_Task and 1 of ($alloc*) and 1 of ($exec*)
}

rule VIGIL_MSBuild_InlineTask_Assembly_Load
{
    meta:
        description = "MSBuild inline C# task loads a .NET assembly from bytes (in-memory payload)"
        author = "Vigil"
        reference = "https://lolbas-project.github.io/lolbas/Binaries/Msbuild/"
        mitre = "T1127.001"
        score = 80
    strings:
        $l1 = "Assembly.Load(" ascii wide
        $l2 = "Assembly.Load (" ascii wide
        $l3 = "AppDomain.CurrentDomain.Load(" ascii wide
        $l4 = ".EntryPoint.Invoke(" ascii wide
    condition:
        VIGIL_MSBuild_Inline_Task and 1 of them
}

rule VIGIL_MSBuild_InlineTask_Download
{
    meta:
        description = "MSBuild inline C# task downloads data or code from the network"
        author = "Vigil"
        reference = "https://lolbas-project.github.io/lolbas/Binaries/Msbuild/"
        mitre = "T1127.001"
        score = 75
    strings:
        $d1 = "DownloadData" ascii wide
        $d2 = "DownloadString" ascii wide
        $d3 = "DownloadFile" ascii wide
        $d4 = "new WebClient" ascii wide
        $d5 = "HttpClient" ascii wide
        $d6 = "WebRequest.Create" ascii wide
        $d7 = "new TcpClient" ascii wide
    condition:
        VIGIL_MSBuild_Inline_Task and 1 of them
}
