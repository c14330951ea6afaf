/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil_screenconnect_webshell.yar - web shells dropped into a ScreenConnect
 * server's App_Extensions folder (CVE-2024-1708 path traversal; Sigma
 * file_event_win_exploit_cve_2024_1708_screenconnect, signature-base
 * filename IOCs). Legitimate extensions live in their own sub-folder of
 * App_Extensions; an .aspx/.ashx/.asmx directly in its root is the
 * exploitation artefact. The path rules need the Loki/THOR external
 * "filepath" (full path); both '\' and '/' separators are accepted so
 * mounted Windows evidence matches too.
 */

rule VIGIL_ScreenConnect_AppExtensions_Root_Handler
{
    meta:
        description = "ASP.NET page or handler in the root of ScreenConnect App_Extensions (extensions belong in sub-folders; CVE-2024-1708 web shell location)"
        author = "Vigil"
        reference = "https://nvd.nist.gov/vuln/detail/CVE-2024-1708"
        score = 70
    condition:
        filepath matches /[\\\/]ScreenConnect[^\\\/]*[\\\/]App_Extensions[\\\/][^\\\/]+\.as[hmp]x$/i
}

rule VIGIL_ScreenConnect_AppExtensions_WebShell
{
    meta:
        description = "ASP.NET web shell (command execution or code loading) under ScreenConnect App_Extensions"
        author = "Vigil"
        reference = "https://nvd.nist.gov/vuln/detail/CVE-2024-1708"
        score = 95
    strings:
        $page1 = "<%@" ascii wide
        $page2 = "IHttpHandler" ascii wide
        $x1 = "ProcessStartInfo" ascii wide nocase
        $x2 = "Process.Start" ascii wide nocase
        $x3 = "cmd.exe" ascii wide nocase
        $x4 = "powershell" ascii wide nocase
        $x5 = "Assembly.Load" ascii wide
        $x6 = "FromBase64String" ascii wide
        $in1 = "Request[" ascii wide
        $in2 = "Request.Form" ascii wide
        $in3 = "Request.QueryString" ascii wide
        $in4 = "Request.Headers" ascii wide
    condition:
        filepath matches /[\\\/]App_Extensions[\\\/]/i and
        filesize < 5MB and 1 of ($page*) and 1 of ($x*) and 1 of ($in*)
}
