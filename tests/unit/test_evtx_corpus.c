/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_evtx_corpus.c - record counts for every .evtx file of the
 * third-party corpora (evtx-attack-samples, evtx-rs-samples,
 * sigma/regression_data), damaged samples included, plus the totals the
 * corpora README states.
 *
 * Where the README (quoting the evtx-rs project's own assertions) gives a
 * count, the table holds that count: RdpCoreTS 1910 records / 4 errors,
 * RemoteConnectionManager 1774/2, 2-vss_7-System 1160/0, Application_no_crc32
 * 17, both CAPI2 files 459 and 340 (BinXML in substitutions), Shell-Core 1146
 * (several fragments), HelloForBusiness 6 (incomplete SID), LanguagePackSetup
 * 17 (incomplete template), post-Security 126, irregular booleans 3028,
 * bad chunk magic 270, security.evtx 2261 (the README's "/2" error count
 * for the bad-chunk-magic sample counts the skipped chunk, which Vigil
 * reports as a damaged chunk, not a malformed record). Every other count was
 * checked against python-evtx by test_evtx_diff (each record python-evtx
 * decodes is found with the same values) and the attack-samples total is the
 * README's 8,255. Skips visibly without the corpus.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vg_test.h"
#include "vigil/evtx.h"
#include "vigil/vigil.h"

struct want {
    unsigned long long records, errors;
    const char *path; /* relative to $VG_CORPORA */
};

/* clang-format off */
static const struct want table[] = {
    { 23, 0, "evtx-attack-samples/AutomatedTestingTools/Malware/DE_timestomp_and_dll_sideloading_and_RunPersist.evtx" },
    { 50, 0, "evtx-attack-samples/AutomatedTestingTools/Malware/rundll32_cmd_schtask.evtx" },
    { 4, 0, "evtx-attack-samples/AutomatedTestingTools/Malware/rundll32_hollowing_wermgr_masquerading.evtx" },
    { 7, 0, "evtx-attack-samples/AutomatedTestingTools/Malware/sideloading_injection_persistence_run_key.evtx" },
    { 18, 0, "evtx-attack-samples/AutomatedTestingTools/Malware/sideloading_uacbypass_rundll32_injection_c2.evtx" },
    { 565, 0, "evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx" },
    { 11, 0, "evtx-attack-samples/AutomatedTestingTools/WinDefender_Events_1117_1116_AtomicRedTeam.evtx" },
    { 122, 0, "evtx-attack-samples/AutomatedTestingTools/panache_sysmon_vs_EDRTestingScript.evtx" },
    { 101, 0, "evtx-attack-samples/Command and Control/DE_RDP_Tunnel_5156.evtx" },
    { 18, 0, "evtx-attack-samples/Command and Control/DE_RDP_Tunneling_4624.evtx" },
    { 228, 0, "evtx-attack-samples/Command and Control/DE_RDP_Tunneling_TerminalServices-RemoteConnectionManagerOperational_1149.evtx" },
    { 73, 0, "evtx-attack-samples/Command and Control/DE_sysmon-3-rdp-tun.evtx" },
    { 1537, 0, "evtx-attack-samples/Command and Control/bits_openvpn.evtx" },
    { 12, 0, "evtx-attack-samples/Command and Control/tunna_iis_rdp_smb_tunneling_sysmon_3.evtx" },
    { 1, 0, "evtx-attack-samples/Credential Access/4794_DSRM_password_change_t1098.evtx" },
    { 55, 0, "evtx-attack-samples/Credential Access/ACL_ForcePwd_SPNAdd_User_Computer_Accounts.evtx" },
    { 4, 0, "evtx-attack-samples/Credential Access/CA_4624_4625_LogonType2_LogonProc_chrome.evtx" },
    { 3, 0, "evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx" },
    { 1, 0, "evtx-attack-samples/Credential Access/CA_Mimikatz_Memssp_Default_Logs_Sysmon_11.evtx" },
    { 5, 0, "evtx-attack-samples/Credential Access/CA_chrome_firefox_opera_4663.evtx" },
    { 2, 0, "evtx-attack-samples/Credential Access/CA_hashdump_4663_4656_lsass_access.evtx" },
    { 5, 0, "evtx-attack-samples/Credential Access/CA_keefarce_keepass_credump.evtx" },
    { 2, 0, "evtx-attack-samples/Credential Access/CA_keepass_KeeThief_Get-KeePassDatabaseKey.evtx" },
    { 1, 0, "evtx-attack-samples/Credential Access/CA_protectedstorage_5145_rpc_masterkey.evtx" },
    { 9, 0, "evtx-attack-samples/Credential Access/CA_sysmon_hashdump_cmd_meterpreter.evtx" },
    { 1, 0, "evtx-attack-samples/Credential Access/CA_teamviewer-dumper_sysmon_10.evtx" },
    { 2, 0, "evtx-attack-samples/Credential Access/LsassSilentProcessExit_process_exit_monitor_3001_lsass.evtx" },
    { 10, 0, "evtx-attack-samples/Credential Access/MSSQL_multiple_failed_logon_EventID_18456.evtx" },
    { 4, 0, "evtx-attack-samples/Credential Access/Powershell_4104_MiniDumpWriteDump_Lsass.evtx" },
    { 4, 0, "evtx-attack-samples/Credential Access/Sysmon13_MachineAccount_Password_Hash_Changed_via_LsarSetSecret.evtx" },
    { 1, 0, "evtx-attack-samples/Credential Access/Sysmon_13_Local_Admin_Password_Changed.evtx" },
    { 2, 0, "evtx-attack-samples/Credential Access/Zerologon_CVE-2020-1472_DFIR_System_NetLogon_Error_EventID_5805.evtx" },
    { 9, 0, "evtx-attack-samples/Credential Access/Zerologon_VoidSec_CVE-2020-1472_4626_LT3_Anonym_follwedby_4742_DC_Anony_DC.evtx" },
    { 33, 0, "evtx-attack-samples/Credential Access/babyshark_mimikatz_powershell.evtx" },
    { 4, 0, "evtx-attack-samples/Credential Access/dc_applog_ntdsutil_dfir_325_326_327.evtx" },
    { 40, 0, "evtx-attack-samples/Credential Access/discovery_sysmon_1_iis_pwd_and_config_discovery_appcmd.evtx" },
    { 415, 0, "evtx-attack-samples/Credential Access/etw_rpc_zerologon.evtx" },
    { 12, 0, "evtx-attack-samples/Credential Access/kerberos_pwd_spray_4771.evtx" },
    { 2, 0, "evtx-attack-samples/Credential Access/phish_windows_credentials_powershell_scriptblockLog_4104.evtx" },
    { 20, 0, "evtx-attack-samples/Credential Access/ppl_bypass_ppldump_knowdll_hijack_sysmon_security.evtx" },
    { 7, 0, "evtx-attack-samples/Credential Access/remote_pwd_reset_rpc_mimikatz_postzerologon_target_DC.evtx" },
    { 31, 0, "evtx-attack-samples/Credential Access/remote_sam_registry_access_via_backup_operator_priv.evtx" },
    { 3, 0, "evtx-attack-samples/Credential Access/sysmon17_18_kekeo_tsssp_default_np.evtx" },
    { 4, 0, "evtx-attack-samples/Credential Access/sysmon_10_11_lsass_memdump.evtx" },
    { 15, 0, "evtx-attack-samples/Credential Access/sysmon_10_11_outlfank_dumpert_and_andrewspecial_memdump.evtx" },
    { 6, 0, "evtx-attack-samples/Credential Access/sysmon_10_1_memdump_comsvcs_minidump.evtx" },
    { 1, 0, "evtx-attack-samples/Credential Access/sysmon_10_lsass_mimikatz_sekurlsa_logonpasswords.evtx" },
    { 6, 0, "evtx-attack-samples/Credential Access/sysmon_13_keylogger_directx.evtx" },
    { 3, 0, "evtx-attack-samples/Credential Access/sysmon_2x10_lsass_with_different_pid_RtlCreateProcessReflection.evtx" },
    { 2, 0, "evtx-attack-samples/Credential Access/sysmon_3_10_Invoke-Mimikatz_hosted_Github.evtx" },
    { 4, 0, "evtx-attack-samples/Credential Access/sysmon_rdrleakdiag_lsass_dump.evtx" },
    { 15, 0, "evtx-attack-samples/Credential Access/tutto_malseclogon.evtx" },
    { 1, 0, "evtx-attack-samples/Defense Evasion/DE_104_system_log_cleared.evtx" },
    { 112, 0, "evtx-attack-samples/Defense Evasion/DE_1102_security_log_cleared.evtx" },
    { 6, 0, "evtx-attack-samples/Defense Evasion/DE_BYOV_Zam64_CA_Memdump_sysmon_7_10.evtx" },
    { 4, 0, "evtx-attack-samples/Defense Evasion/DE_EventLog_Service_Crashed.evtx" },
    { 2, 0, "evtx-attack-samples/Defense Evasion/DE_Fake_ComputerAccount_4720.evtx" },
    { 6, 0, "evtx-attack-samples/Defense Evasion/DE_KernelDebug_and_TestSigning_ON_Security_4826.evtx" },
    { 1, 0, "evtx-attack-samples/Defense Evasion/DE_Powershell_CLM_Disabled_Sysmon_12.evtx" },
    { 4, 0, "evtx-attack-samples/Defense Evasion/DE_ProcessHerpaderping_Sysmon_11_10_1_7.evtx" },
    { 3, 0, "evtx-attack-samples/Defense Evasion/DE_UAC_Disabled_Sysmon_12_13.evtx" },
    { 6, 0, "evtx-attack-samples/Defense Evasion/DE_WinEventLogSvc_Crash_System_7036.evtx" },
    { 11, 0, "evtx-attack-samples/Defense Evasion/DE_remote_eventlog_svc_crash_byt3bl33d3r_sysmon_17_1_3.evtx" },
    { 11, 0, "evtx-attack-samples/Defense Evasion/DE_renamed_psexec_service_sysmon_17_18.evtx" },
    { 8, 0, "evtx-attack-samples/Defense Evasion/DE_suspicious_remote_eventlog_svc_access_5145.evtx" },
    { 4, 0, "evtx-attack-samples/Defense Evasion/DE_xp_cmdshell_enabled_MSSQL_EID_15457.evtx" },
    { 8, 0, "evtx-attack-samples/Defense Evasion/DSE_bypass_BYOV_TDL_dummydriver_sysmon_6_7_13.evtx" },
    { 64, 0, "evtx-attack-samples/Defense Evasion/Sysmon 7  Update Session Orchestrator Dll Hijack.evtx" },
    { 13, 0, "evtx-attack-samples/Defense Evasion/Sysmon 7 dllhijack_cdpsshims_CDPSvc.evtx" },
    { 1, 0, "evtx-attack-samples/Defense Evasion/Sysmon_10_Evasion_Suspicious_NtOpenProcess_CallTrace.evtx" },
    { 3, 0, "evtx-attack-samples/Defense Evasion/Sysmon_12_DE_AntiForensics_MRU_DeleteKey.evtx" },
    { 2, 0, "evtx-attack-samples/Defense Evasion/Win_4985_T1186_Process_Doppelganging.evtx" },
    { 11, 0, "evtx-attack-samples/Defense Evasion/apt10_jjs_sideloading_prochollowing_persist_as_service_sysmon_1_7_8_13.evtx" },
    { 2, 0, "evtx-attack-samples/Defense Evasion/de_PsScriptBlockLogging_disabled_sysmon12_13.evtx" },
    { 1, 0, "evtx-attack-samples/Defense Evasion/de_hiding_files_via_attrib_cmdlet.evtx" },
    { 3, 0, "evtx-attack-samples/Defense Evasion/de_portforward_netsh_rdp_sysmon_13_1.evtx" },
    { 5, 0, "evtx-attack-samples/Defense Evasion/de_powershell_execpolicy_changed_sysmon_13.evtx" },
    { 1, 0, "evtx-attack-samples/Defense Evasion/de_sysmon_13_VBA_Security_AccessVBOM.evtx" },
    { 84, 0, "evtx-attack-samples/Defense Evasion/de_unmanagedpowershell_psinject_sysmon_7_8_10.evtx" },
    { 4, 0, "evtx-attack-samples/Defense Evasion/evasion_codeinj_odzhan_conhost_sysmon_10_1.evtx" },
    { 4, 0, "evtx-attack-samples/Defense Evasion/evasion_codeinj_odzhan_spoolsv_sysmon_10_1.evtx" },
    { 10, 0, "evtx-attack-samples/Defense Evasion/faxhell_sysmon_7_1_18_3_bindshell_dllhijack.evtx" },
    { 1, 0, "evtx-attack-samples/Defense Evasion/meterpreter_migrate_to_explorer_sysmon_8.evtx" },
    { 1, 0, "evtx-attack-samples/Defense Evasion/process_suspend_sysmon_10_ga_800.evtx" },
    { 7, 0, "evtx-attack-samples/Defense Evasion/sideloading_wwlib_sysmon_7_1_11.evtx" },
    { 5, 0, "evtx-attack-samples/Defense Evasion/sysmon_10_1_ppid_spoofing.evtx" },
    { 20, 0, "evtx-attack-samples/Defense Evasion/sysmon_13_rdp_settings_tampering.evtx" },
    { 2, 0, "evtx-attack-samples/Defense Evasion/sysmon_2_11_evasion_timestomp_MACE.evtx" },
    { 5, 0, "evtx-attack-samples/Discovery/4799_remote_local_groups_enumeration.evtx" },
    { 20, 0, "evtx-attack-samples/Discovery/Discovery_Remote_System_NamedPipes_Sysmon_18.evtx" },
    { 63, 0, "evtx-attack-samples/Discovery/dicovery_4661_net_group_domain_admins_target.evtx" },
    { 1, 0, "evtx-attack-samples/Discovery/discovery_UEFI_Settings_rweverything_sysmon_6.evtx" },
    { 10, 0, "evtx-attack-samples/Discovery/discovery_bloodhound.evtx" },
    { 4, 0, "evtx-attack-samples/Discovery/discovery_enum_shares_target_sysmon_3_18.evtx" },
    { 3, 0, "evtx-attack-samples/Discovery/discovery_local_user_or_group_windows_security_4799_4798.evtx" },
    { 52, 0, "evtx-attack-samples/Discovery/discovery_meterpreter_ps_cmd_process_listing_sysmon_10.evtx" },
    { 4, 0, "evtx-attack-samples/Discovery/discovery_psloggedon.evtx" },
    { 1, 0, "evtx-attack-samples/Discovery/discovery_sysmon_18_Invoke_UserHunter_NetSessionEnum_DC-srvsvc.evtx" },
    { 9, 0, "evtx-attack-samples/Discovery/discovery_sysmon_3_Invoke_UserHunter_SourceMachine.evtx" },
    { 8, 0, "evtx-attack-samples/Execution/Exec_sysmon_meterpreter_reversetcp_msipackage.evtx" },
    { 4, 0, "evtx-attack-samples/Execution/Exec_via_cpl_Application_Experience_EventID_17_ControlPanelApplet.evtx" },
    { 2, 0, "evtx-attack-samples/Execution/Sysmon_Exec_CompiledHTML.evtx" },
    { 13, 0, "evtx-attack-samples/Execution/Sysmon_meterpreter_ReflectivePEInjection_to_notepad_.evtx" },
    { 3, 0, "evtx-attack-samples/Execution/evasion_execution_imageload_wuauclt_lolbas.evtx" },
    { 2, 0, "evtx-attack-samples/Execution/exec_driveby_cve-2018-15982_sysmon_1_10.evtx" },
    { 3, 0, "evtx-attack-samples/Execution/exec_msxsl_xsl_sysmon_1_7.evtx" },
    { 8, 0, "evtx-attack-samples/Execution/exec_persist_rundll32_mshta_scheduledtask_sysmon_1_3_11.evtx" },
    { 11, 0, "evtx-attack-samples/Execution/exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler.evtx" },
    { 6, 0, "evtx-attack-samples/Execution/exec_sysmon_1_11_lolbin_rundll32_shdocvw_openurl.evtx" },
    { 2, 0, "evtx-attack-samples/Execution/exec_sysmon_1_11_lolbin_rundll32_zipfldr_RouteTheCall.evtx" },
    { 3, 0, "evtx-attack-samples/Execution/exec_sysmon_1_7_jscript9_defense_evasion.evtx" },
    { 4, 0, "evtx-attack-samples/Execution/exec_sysmon_1_ftp.evtx" },
    { 3, 0, "evtx-attack-samples/Execution/exec_sysmon_1_lolbin_pcalua.evtx" },
    { 2, 0, "evtx-attack-samples/Execution/exec_sysmon_1_lolbin_renamed_regsvr32_scrobj.evtx" },
    { 2, 0, "evtx-attack-samples/Execution/exec_sysmon_1_lolbin_rundll32_advpack_RegisterOCX.evtx" },
    { 1, 0, "evtx-attack-samples/Execution/exec_sysmon_1_rundll32_pcwutl_LaunchApplication.evtx" },
    { 3, 0, "evtx-attack-samples/Execution/exec_sysmon_lobin_regsvr32_sct.evtx" },
    { 8, 0, "evtx-attack-samples/Execution/exec_wmic_xsl_internet_sysmon_3_1_11.evtx" },
    { 29, 0, "evtx-attack-samples/Execution/execution_evasion_visual_studio_prebuild_event.evtx" },
    { 4, 0, "evtx-attack-samples/Execution/revshell_cmd_svchost_sysmon_1.evtx" },
    { 351, 0, "evtx-attack-samples/Execution/rogue_msi_url_1040_1042.evtx" },
    { 3, 0, "evtx-attack-samples/Execution/susp_explorer_exec.evtx" },
    { 10, 0, "evtx-attack-samples/Execution/susp_explorer_exec_root_cmdline_@rimpq_@CyberRaiju.evtx" },
    { 3, 0, "evtx-attack-samples/Execution/sysmon_11_1_lolbas_downldr_desktopimgdownldr.evtx" },
    { 5, 0, "evtx-attack-samples/Execution/sysmon_1_11_rundll32_cpl_ostap.evtx" },
    { 17, 0, "evtx-attack-samples/Execution/sysmon_exec_from_vss_persistence.evtx" },
    { 2, 0, "evtx-attack-samples/Execution/sysmon_lolbas_rundll32_zipfldr_routethecall_shell.evtx" },
    { 6, 0, "evtx-attack-samples/Execution/sysmon_lolbin_bohops_vshadow_exec.evtx" },
    { 3, 0, "evtx-attack-samples/Execution/sysmon_mshta_sharpshooter_stageless_meterpreter.evtx" },
    { 5, 0, "evtx-attack-samples/Execution/sysmon_vbs_sharpshooter_stageless_meterpreter.evtx" },
    { 8, 0, "evtx-attack-samples/Execution/sysmon_zipexec.evtx" },
    { 2, 0, "evtx-attack-samples/Execution/temp_scheduled_task_4698_4699.evtx" },
    { 5, 0, "evtx-attack-samples/Execution/windows_bits_4_59_60_lolbas desktopimgdownldr.evtx" },
    { 21, 0, "evtx-attack-samples/Lateral Movement/DFIR_RDP_Client_TimeZone_RdpCoreTs_104_example.evtx" },
    { 14, 0, "evtx-attack-samples/Lateral Movement/ImpersonateUser-via local Pass The Hash Sysmon and Security.evtx" },
    { 6, 0, "evtx-attack-samples/Lateral Movement/LM_4624_mimikatz_sekurlsa_pth_source_machine.evtx" },
    { 869, 0, "evtx-attack-samples/Lateral Movement/LM_5145_Remote_FileCopy.evtx" },
    { 2, 0, "evtx-attack-samples/Lateral Movement/LM_DCOM_MSHTA_LethalHTA_Sysmon_3_1.evtx" },
    { 2, 0, "evtx-attack-samples/Lateral Movement/LM_ImageLoad_NFSH_Sysmon_7.evtx" },
    { 3, 0, "evtx-attack-samples/Lateral Movement/LM_NewShare_Added_Sysmon_12_13.evtx" },
    { 1, 0, "evtx-attack-samples/Lateral Movement/LM_PowershellRemoting_sysmon_1_wsmprovhost.evtx" },
    { 30, 0, "evtx-attack-samples/Lateral Movement/LM_REMCOM_5145_TargetHost.evtx" },
    { 1, 0, "evtx-attack-samples/Lateral Movement/LM_Remote_Service01_5145_svcctl.evtx" },
    { 3, 0, "evtx-attack-samples/Lateral Movement/LM_Remote_Service02_7045.evtx" },
    { 34, 0, "evtx-attack-samples/Lateral Movement/LM_ScheduledTask_ATSVC_target_host.evtx" },
    { 5, 0, "evtx-attack-samples/Lateral Movement/LM_WMIC_4648_rpcss.evtx" },
    { 8, 0, "evtx-attack-samples/Lateral Movement/LM_WMI_4624_4688_TargetHost.evtx" },
    { 1, 0, "evtx-attack-samples/Lateral Movement/LM_add_new_namedpipe_tp_nullsession_registry_turla_like_ttp.evtx" },
    { 4, 0, "evtx-attack-samples/Lateral Movement/LM_dcom_shwnd_shbrwnd_mmc20_failed_traces_system_10016.evtx" },
    { 9, 0, "evtx-attack-samples/Lateral Movement/LM_impacket_docmexec_mmc_sysmon_01.evtx" },
    { 6, 0, "evtx-attack-samples/Lateral Movement/LM_regsvc_DirectoryServiceExtPt_Lsass_NTDS_AdamXpn.evtx" },
    { 22, 0, "evtx-attack-samples/Lateral Movement/LM_renamed_psexecsvc_5145.evtx" },
    { 9, 0, "evtx-attack-samples/Lateral Movement/LM_sysmon_1_12_13_3_tsclient_SharpRdp.evtx" },
    { 38, 0, "evtx-attack-samples/Lateral Movement/LM_sysmon_3_12_13_1_SharpRDP.evtx" },
    { 3, 0, "evtx-attack-samples/Lateral Movement/LM_sysmon_3_DCOM_ShellBrowserWindow_ShellWindows.evtx" },
    { 10, 0, "evtx-attack-samples/Lateral Movement/LM_sysmon_psexec_smb_meterpreter.evtx" },
    { 3, 0, "evtx-attack-samples/Lateral Movement/LM_sysmon_remote_task_src_powershell.evtx" },
    { 4, 0, "evtx-attack-samples/Lateral Movement/LM_tsclient_startup_folder.evtx" },
    { 4, 0, "evtx-attack-samples/Lateral Movement/LM_typical_IIS_webshell_sysmon_1_10_traces.evtx" },
    { 3, 0, "evtx-attack-samples/Lateral Movement/LM_winrm_exec_sysmon_1_winrshost.evtx" },
    { 1, 0, "evtx-attack-samples/Lateral Movement/LM_winrm_target_wrmlogs_91_wsmanShellStarted_poorLog.evtx" },
    { 15, 0, "evtx-attack-samples/Lateral Movement/LM_wmi_PoisonHandler_Mr-Un1k0d3r_sysmon_1_13.evtx" },
    { 7, 0, "evtx-attack-samples/Lateral Movement/LM_wmiexec_impacket_sysmon_whoami.evtx" },
    { 21, 0, "evtx-attack-samples/Lateral Movement/LM_xp_cmdshell_MSSQL_Events.evtx" },
    { 1, 0, "evtx-attack-samples/Lateral Movement/MSSQL_15281_xp_cmdshell_exec_failed_attempt.evtx" },
    { 6, 0, "evtx-attack-samples/Lateral Movement/RemotePowerShell_MS_Windows-Remote_Management_EventID_169.evtx" },
    { 40, 0, "evtx-attack-samples/Lateral Movement/dfir_rdpsharp_target_RdpCoreTs_168_68_131.evtx" },
    { 2, 0, "evtx-attack-samples/Lateral Movement/lateral_movement_startup_3_11.evtx" },
    { 4, 0, "evtx-attack-samples/Lateral Movement/lm_remote_registry_sysmon_1_13_3.evtx" },
    { 7, 0, "evtx-attack-samples/Lateral Movement/lm_sysmon_18_remshell_over_namedpipe.evtx" },
    { 2, 0, "evtx-attack-samples/Lateral Movement/net_share_drive_5142.evtx" },
    { 9, 0, "evtx-attack-samples/Lateral Movement/powercat_revShell_sysmon_1_3.evtx" },
    { 8, 0, "evtx-attack-samples/Lateral Movement/remote task update 4624 4702 same logonid.evtx" },
    { 2, 0, "evtx-attack-samples/Lateral Movement/remote_file_copy_system_proc_file_write_sysmon_11.evtx" },
    { 4, 0, "evtx-attack-samples/Lateral Movement/sharprdp_sysmon_7_mstscax.dll.evtx" },
    { 2, 0, "evtx-attack-samples/Lateral Movement/smb_bi_auth_conn_spoolsample.evtx" },
    { 27, 0, "evtx-attack-samples/Lateral Movement/smbmap_upload_exec_sysmon.evtx" },
    { 1, 0, "evtx-attack-samples/Lateral Movement/spoolsample_5145.evtx" },
    { 1, 0, "evtx-attack-samples/Lateral Movement/sysmon_1_exec_via_sql_xpcmdshell.evtx" },
    { 13, 0, "evtx-attack-samples/Lateral Movement/wmi_remote_registry_sysmon.evtx" },
    { 1, 0, "evtx-attack-samples/Other/emotet/exec_emotet_ps_4104.evtx" },
    { 1, 0, "evtx-attack-samples/Other/emotet/exec_emotet_ps_800_get-item.evtx" },
    { 1, 0, "evtx-attack-samples/Other/emotet/exec_emotet_ps_800_invoke-item.evtx" },
    { 1, 0, "evtx-attack-samples/Other/emotet/exec_emotet_ps_800_new-item.evtx" },
    { 1, 0, "evtx-attack-samples/Other/emotet/exec_emotet_ps_800_new-object.evtx" },
    { 1, 0, "evtx-attack-samples/Other/emotet/exec_emotet_sysmon_1.evtx" },
    { 11, 0, "evtx-attack-samples/Other/maldoc_mshta_via_shellbrowserwind_rundll32.evtx" },
    { 733, 0, "evtx-attack-samples/Other/rdpcorets_148_mst120_bluekeep_rpdscan_full.evtx" },
    { 28, 0, "evtx-attack-samples/Persistence/DACL_DCSync_Right_Powerview_ Add-DomainObjectAcl.evtx" },
    { 2, 0, "evtx-attack-samples/Persistence/Network_Service_Guest_added_to_admins_4732.evtx" },
    { 7, 0, "evtx-attack-samples/Persistence/Persistence_Shime_Microsoft-Windows-Application-Experience_Program-Telemetry_500.evtx" },
    { 2, 0, "evtx-attack-samples/Persistence/Persistence_Winsock_Catalog Change EventId_1.evtx" },
    { 1, 0, "evtx-attack-samples/Persistence/evasion_persis_hidden_run_keyvalue_sysmon_13.evtx" },
    { 6, 0, "evtx-attack-samples/Persistence/persist_bitsadmin_Microsoft-Windows-Bits-Client-Operational.evtx" },
    { 19, 0, "evtx-attack-samples/Persistence/persist_firefox_comhijack_sysmon_11_13_7_1.evtx" },
    { 3, 0, "evtx-attack-samples/Persistence/persist_turla_outlook_backdoor_comhijack.evtx" },
    { 4, 0, "evtx-attack-samples/Persistence/persist_valid_account_guest_rid_hijack.evtx" },
    { 13, 0, "evtx-attack-samples/Persistence/persistence_SilentProcessExit_ImageHijack_sysmon_13_1.evtx" },
    { 3, 0, "evtx-attack-samples/Persistence/persistence_accessibility_features_osk_sysmon1.evtx" },
    { 1, 0, "evtx-attack-samples/Persistence/persistence_hidden_local_account_sysmon.evtx" },
    { 4, 0, "evtx-attack-samples/Persistence/persistence_pendingGPO_sysmon_13.evtx" },
    { 10, 0, "evtx-attack-samples/Persistence/persistence_security_dcshadow_4742.evtx" },
    { 1, 0, "evtx-attack-samples/Persistence/persistence_startup_UserShellStartup_Folder_Changed_sysmon_13.evtx" },
    { 237, 0, "evtx-attack-samples/Persistence/persistence_sysmon_11_13_1_shime_appfix.evtx" },
    { 25, 0, "evtx-attack-samples/Persistence/sysmon_13_1_persistence_via_winlogon_shell.evtx" },
    { 6, 0, "evtx-attack-samples/Persistence/sysmon_1_persist_bitsjob_SetNotifyCmdLine.evtx" },
    { 1, 0, "evtx-attack-samples/Persistence/sysmon_1_smss_child_proc_bootexecute_setupexecute.evtx" },
    { 17, 0, "evtx-attack-samples/Persistence/sysmon_20_21_1_CommandLineEventConsumer.evtx" },
    { 17, 0, "evtx-attack-samples/Persistence/sysmon_local_account_creation_and_added_admingroup_12_13.evtx" },
    { 4, 0, "evtx-attack-samples/Persistence/wmighost_sysmon_20_21_1.evtx" },
    { 3, 0, "evtx-attack-samples/Privilege Escalation/4624 LT3 AnonymousLogon Localhost - JuicyPotato.evtx" },
    { 3, 0, "evtx-attack-samples/Privilege Escalation/4765_sidhistory_add_t1178.evtx" },
    { 4, 0, "evtx-attack-samples/Privilege Escalation/CVE-2020-0796_SMBV3Ghost_LocalPrivEsc_Sysmon_3_1_10.evtx" },
    { 20, 0, "evtx-attack-samples/Privilege Escalation/EfsPotato_sysmon_17_18_privesc_seimpersonate_to_system.evtx" },
    { 1, 0, "evtx-attack-samples/Privilege Escalation/Invoke_TokenDuplication_UAC_Bypass4624.evtx" },
    { 11, 0, "evtx-attack-samples/Privilege Escalation/NTLM2SelfRelay-med0x2e-security_4624_4688.evtx" },
    { 4, 0, "evtx-attack-samples/Privilege Escalation/PrivEsc_CVE-2020-1313_Sysmon_13_UScheduler_Cmdline.evtx" },
    { 13, 0, "evtx-attack-samples/Privilege Escalation/PrivEsc_Imperson_NetSvc_to_Sys_Decoder_Sysmon_1_17_18.evtx" },
    { 1, 0, "evtx-attack-samples/Privilege Escalation/PrivEsc_NetSvc_SessionToken_Retrival_via_localSMB_Auth_5145.evtx" },
    { 2, 0, "evtx-attack-samples/Privilege Escalation/PrivEsc_SeImpersonatePriv_enabled_back_for_upnp_localsvc_4698.evtx" },
    { 7, 0, "evtx-attack-samples/Privilege Escalation/RogueWinRM.evtx" },
    { 3, 0, "evtx-attack-samples/Privilege Escalation/Runas_4624_4648_Webshell_CreateProcessAsUserA.evtx" },
    { 5, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_13_1_UACBypass_SDCLTBypass.evtx" },
    { 6, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_13_1_UAC_Bypass_EventVwrBypass.evtx" },
    { 19, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_22.evtx" },
    { 8, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_23.evtx" },
    { 11, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_30.evtx" },
    { 8, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_32.evtx" },
    { 9, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_33.evtx" },
    { 6, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_34.evtx" },
    { 13, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_36_FileCreate.evtx" },
    { 7, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_37_FileCreate.evtx" },
    { 8, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_38.evtx" },
    { 7, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_39.evtx" },
    { 4, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_41.evtx" },
    { 5, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_43.evtx" },
    { 8, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_45.evtx" },
    { 14, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_53.evtx" },
    { 10, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_54.evtx" },
    { 15, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_56.evtx" },
    { 3, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_63.evtx" },
    { 530, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_UACME_64.evtx" },
    { 6, 0, "evtx-attack-samples/Privilege Escalation/Sysmon_uacme_58.evtx" },
    { 1, 0, "evtx-attack-samples/Privilege Escalation/System_7045_namedpipe_privesc.evtx" },
    { 7, 0, "evtx-attack-samples/Privilege Escalation/UACME_59_Sysmon.evtx" },
    { 2, 0, "evtx-attack-samples/Privilege Escalation/UACME_61_Changepk.evtx" },
    { 3, 0, "evtx-attack-samples/Privilege Escalation/eop_appcontainer_il_broker_filewrite.evtx" },
    { 1, 0, "evtx-attack-samples/Privilege Escalation/privesc_KrbRelayUp_windows_4624.evtx" },
    { 30, 0, "evtx-attack-samples/Privilege Escalation/privesc_registry_symlink_CVE-2020-1377.evtx" },
    { 6, 0, "evtx-attack-samples/Privilege Escalation/privesc_roguepotato_sysmon_17_18.evtx" },
    { 13, 0, "evtx-attack-samples/Privilege Escalation/privesc_rotten_potato_from_webshell_metasploit_sysmon_1_8_3.evtx" },
    { 7, 0, "evtx-attack-samples/Privilege Escalation/privesc_seimpersonate_tosys_spoolsv_sysmon_17_18.evtx" },
    { 4, 0, "evtx-attack-samples/Privilege Escalation/privesc_spoolfool_mahdihtm_sysmon_1_11_7_13.evtx" },
    { 37, 0, "evtx-attack-samples/Privilege Escalation/privesc_spoolsv_spl_file_write_sysmon11.evtx" },
    { 8, 0, "evtx-attack-samples/Privilege Escalation/privesc_sysmon_cve_20201030_spooler.evtx" },
    { 87, 0, "evtx-attack-samples/Privilege Escalation/privesc_unquoted_svc_sysmon_1_11.evtx" },
    { 8, 0, "evtx-attack-samples/Privilege Escalation/privexchange_dirkjan.evtx" },
    { 18, 0, "evtx-attack-samples/Privilege Escalation/samaccount_spoofing_CVE-2021-42287_CVE-2021-42278_DC_securitylogs.evtx" },
    { 14, 0, "evtx-attack-samples/Privilege Escalation/security_4624_4673_token_manip.evtx" },
    { 15, 0, "evtx-attack-samples/Privilege Escalation/sysmon_11_1_15_WScriptBypassUAC.evtx" },
    { 8, 0, "evtx-attack-samples/Privilege Escalation/sysmon_11_1_7_uacbypass_cliconfg.evtx" },
    { 10, 0, "evtx-attack-samples/Privilege Escalation/sysmon_11_7_1_uacbypass_windirectory_mocking.evtx" },
    { 5, 0, "evtx-attack-samples/Privilege Escalation/sysmon_13_1_12_11_perfmonUACBypass.evtx" },
    { 4, 0, "evtx-attack-samples/Privilege Escalation/sysmon_13_1_compmgmtlauncherUACBypass.evtx" },
    { 4, 0, "evtx-attack-samples/Privilege Escalation/sysmon_13_1_meterpreter_getsystem_NamedPipeImpersonation.evtx" },
    { 6, 0, "evtx-attack-samples/Privilege Escalation/sysmon_1_11_exec_as_system_via_schedtask.evtx" },
    { 5, 0, "evtx-attack-samples/Privilege Escalation/sysmon_1_13_11_cmstp_ini_uacbypass.evtx" },
    { 3, 0, "evtx-attack-samples/Privilege Escalation/sysmon_1_13_UACBypass_AppPath_Control.evtx" },
    { 9, 0, "evtx-attack-samples/Privilege Escalation/sysmon_1_7_11_mcx2prov_uacbypass.evtx" },
    { 7, 0, "evtx-attack-samples/Privilege Escalation/sysmon_1_7_11_migwiz.evtx" },
    { 7, 0, "evtx-attack-samples/Privilege Escalation/sysmon_1_7_11_sysprep_uacbypass.evtx" },
    { 15, 0, "evtx-attack-samples/Privilege Escalation/sysmon_1_7_elevate_uacbypass_sysprep.evtx" },
    { 3, 0, "evtx-attack-samples/Privilege Escalation/sysmon_privesc_from_admin_to_system_handle_inheritance.evtx" },
    { 12, 0, "evtx-attack-samples/Privilege Escalation/sysmon_privesc_psexec_dwell.evtx" },
    { 8, 0, "evtx-attack-samples/Privilege Escalation/sysmon_uacbypass_CDSSync_schtask_hijack_byeintegrity5.evtx" },
    { 1, 0, "evtx-attack-samples/Privilege Escalation/win10_4703_SeDebugPrivilege_enabled.evtx" },
    { 7, 0, "evtx-attack-samples/UACME_59_Sysmon.evtx" },
    { 399, 0, "evtx-rs-samples/2-system-Microsoft-Windows-LiveId%4Operational.evtx" },
    { 1910, 4, "evtx-rs-samples/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx" },
    { 1774, 2, "evtx-rs-samples/2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx" },
    { 1160, 0, "evtx-rs-samples/2-vss_7-System.evtx" },
    { 17, 0, "evtx-rs-samples/Application_no_crc32.evtx" },
    { 459, 0, "evtx-rs-samples/E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx" },
    { 340, 0, "evtx-rs-samples/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx" },
    { 1146, 0, "evtx-rs-samples/E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx" },
    { 1, 0, "evtx-rs-samples/MSExchange_Management_wec.evtx" },
    { 6, 0, "evtx-rs-samples/Microsoft-Windows-HelloForBusiness%4Operational.evtx" },
    { 17, 0, "evtx-rs-samples/Microsoft-Windows-LanguagePackSetup%4Operational.evtx" },
    { 7, 0, "evtx-rs-samples/Security_short_selected.evtx" },
    { 636, 0, "evtx-rs-samples/Security_with_size_t.evtx" },
    { 1, 0, "evtx-rs-samples/issue_201.evtx" },
    { 4, 0, "evtx-rs-samples/new-user-security.evtx" },
    { 126, 0, "evtx-rs-samples/post-Security.evtx" },
    { 3028, 0, "evtx-rs-samples/sample-with-irregular-bool-values.evtx" },
    { 449, 1, "evtx-rs-samples/sample-with-zero-data-size-event.evtx" },
    { 270, 0, "evtx-rs-samples/sample_with_a_bad_chunk_magic.evtx" },
    { 2261, 0, "evtx-rs-samples/security.evtx" },
    { 2261, 0, "evtx-rs-samples/security_bad_string_cache.evtx" },
    { 358, 0, "evtx-rs-samples/sysmon.evtx" },
    { 1881, 0, "evtx-rs-samples/system.evtx" },
    { 1, 0, "sigma/regression_data/rules-emerging-threats/2025/Exploits/CVE-2025-55182/proc_creation_win_exploit_cve_2025_55182_susp_nodejs_server_child_process/271de298-cc0e-4842-acd8-079a0a99ea65.evtx" },
    { 1, 0, "sigma/regression_data/rules-emerging-threats/2025/Malware/Grixba/proc_creation_win_malware_grixba_recon/af688c76-4ce4-4309-bfdd-e896f01acf27.evtx" },
    { 1, 0, "sigma/regression_data/rules-emerging-threats/2025/Malware/Shai-Hulud/proc_creation_win_mal_shai_hulud_indicator/540703fb-a874-4385-a9d6-7cd1bfab268c.evtx" },
    { 6, 0, "sigma/regression_data/rules-emerging-threats/2025/Malware/Shai-Hulud/proc_creation_win_mal_shai_hulud_malicious_node_bun_execution/5299fadf-f228-4526-8274-251db1960be9.evtx" },
    { 1, 0, "sigma/regression_data/rules-emerging-threats/2025/Malware/Shai-Hulud/proc_creation_win_mal_shai_hulud_malicious_npm_package_installation/bae7c70b-8569-44e9-accf-b30073da8a5d.evtx" },
    { 2, 0, "sigma/regression_data/rules-emerging-threats/2026/Exploits/CVE-2026-33829/proc_creation_win_exploit_cve_2026_33829/7c3a5b1d-9e2f-4a8c-b5d7-1e0f3c6a9b2d.evtx" },
    { 1, 0, "sigma/regression_data/rules-emerging-threats/2026/Exploits/RedSun/file_event_win_exploit_redsun_indicators/f2e4b7d9-5c3a-4f8b-9e1d-7a6c2b3f4e5d.evtx" },
    { 1, 0, "sigma/regression_data/rules-emerging-threats/2026/Exploits/RedSun/pipe_created_win_exploit_redsun_named_pipe/9b4e7c2a-3f6d-4a8b-b5e9-1c7d3f2e6a4b.evtx" },
    { 1, 0, "sigma/regression_data/rules-emerging-threats/2026/Exploits/RedSun/win_defender_exploit_redsun_tiering_engine_detected_as_eicar/a7c3e5f2-8b1d-4e9a-b6c2-3d7f5e8a9b4c.evtx" },
    { 1, 0, "sigma/regression_data/rules-threat-hunting/windows/image_load/image_load_win_werfaultsecure_dbgcore_dbghelp_load/8a2f4b1c-3d5e-4f7a-9b2c-1e4f6d8a9c2b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/builtin/security/win_security_explicit_credential_local_logon/e3c6d245-7b8f-4e2a-c17f-a9d0e5b38f62.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/builtin/security/win_security_susp_scheduled_task_delete_or_disable/7595ba94-cf3b-4471-aa03-4f6baa9e5fad.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/builtin/taskscheduler/win_taskscheduler_susp_schtasks_delete_or_disable/9e3cb244-bdb8-4632-8c90-6079c8f4f16d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/builtin/wmi/win_wmi_activity_nteventlogfile_cleareventlog/d4f1a2b3-7c8e-4d5f-b6a9-1e0c2d3f4e5b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_advanced_ip_scanner/fed85bf9-e075-4280-9159-fbe8a023d6fa.evtx" },
    { 5, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_anydesk_artefact/0b9ad457-2554-44c1-82c2-d56a99c42377.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_create_evtx_non_common_locations/65236ec7-ace0-4f0c-82fd-737b04fd4dcb.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_create_non_existent_dlls/df6ecb8b-7822-4f4b-b412-08f524b4576c.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_creation_new_shim_database/ee63c85c-6d51-4d12-ad09-04e25877a947.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_creation_system_dll_files/13c02350-4177-4e45-ac17-cf7ca628ff5e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_creation_system_file/d5866ddf-ce8f-4aea-b28e-d96485a20d3d.evtx" },
    { 6, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_dump_file_susp_creation/aba15bdd-657f-422a-bab3-ac2d2a0d6f1c.evtx" },
    { 7, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_hktl_netexec_file_indicators/efc21479-9e83-41da-8cf1-122e06ba8db3.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_susp_legitimate_app_dropping_exe/f0540f7e-2db3-4432-b9e0-3965486744bc.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_susp_legitimate_app_dropping_in_uncommon_location/1cf465a1-2609-4c15-9b66-c32dbe4bfd67.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_susp_legitimate_app_dropping_script/7d604714-e071-49ff-8726-edeb95a70679.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_susp_lnk_double_extension/3215aa19-f060-4332-86d5-5602511f3ca8.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_susp_public_folder_extension/b447f7de-1e53-4cbf-bfb4-f1f6d0b04e4e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_susp_recycle_bin_fake_exec/cd8b36ac-8e4a-4c2f-a402-a29b8fbd5bca.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_susp_registry_hive_file_creation/a7f3c891-2e4d-4b6a-9f8c-d5e2a1b04c73.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_susp_right_to_left_override_extension_spoofing/979baf41-ca44-4540-9d0c-4fcef3b5a3a4.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/file/file_event/file_event_win_taskmgr_lsass_dump/69ca12af-119d-44ed-b50f-a47af0ebc364.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/image_load/image_load_side_load_cpl_from_non_system_location/2b140a5c-dc02-4bb8-b6b1-8bdb45714cde.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/image_load/image_load_side_load_vcruntime140/d7a63acb-1284-49bc-bfea-7771146c8b1c.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/image_load/image_load_susp_offreg_dll_load/c9e5f013-4a6f-4d8c-9b0e-f7a4c3d26e95.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/image_load/image_load_win_susp_dbgcore_dbghelp_load/416bc4a2-7217-4519-8dc7-c3271817f1d5.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_access/proc_access_win_susp_dbgcore_dbghelp_load/9f5c1d59-33be-4e60-bcab-85d2f566effd.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_access/proc_access_win_werfaultsecure_msmpeng_access/387df17d-3b04-448f-8669-9e7fd5e5fd8c.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_amsi_registry_tampering/7dbbcac2-57a0-45ac-b306-ff30a8bd2981.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_autologger_session_registry_modification/d7b81144-b866-48a4-9bcc-275dc69d870e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_bitsadmin_download/d059842b-6b9d-4ed1-b5c3-5b89143c6ede.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_bitsadmin_download_direct_ip/99c840f2-2012-46fd-9141-c761987550ef.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_bitsadmin_download_file_sharing_domains/8518ed3d-f7c9-4601-a26c-f361a4256a0c.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_bitsadmin_download_susp_extensions/5b80a791-ad9b-4b75-bcc1-ad4e1e89c200.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_bitsadmin_download_susp_targetfolder/2ddef153-167b-4e89-86b6-757a9e65dcac.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_browsers_chromium_headless_file_download/0e8cfe08-02c9-4815-a2f8-0d157b7ed33e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_browsers_chromium_load_extension/88d6e60c-759d-4ac1-a447-c0f1466c2d21.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_browsers_chromium_mockbin_abuse/1c526788-0abe-4713-862f-b520da5e5316.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_browsers_chromium_susp_load_extension/27ba3207-dd30-4812-abbf-5d20c57d474e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_browsers_inline_file_download/94771a71-ba41-4b6e-a757-b531372eaab6.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_browsers_tor_execution/62f7c9bf-9135-49b2-8aeb-1e54a6ecc13c.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_certificate_installation/d2125259-ddea-4c1c-9c22-977eb5b29cf0.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_decode/cc9cbe82-7bc0-4ef5-bc23-bbfb83947be7.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_download/19b08b1c-861d-4e75-a1ef-ea0c1baf202b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_download_direct_ip/13e6fe51-d478-4c7e-b0f2-6da9b400a829.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_download_file_sharing_domains/42a5f1e7-9603-4f6d-97ae-3f37d130d794.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_encode/e62a9f0c-ca1e-46b2-85d5-a6da77f86d1a.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_encode_susp_extensions/ea0cdc3e-2239-4f26-a947-4e8f8224e464.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_encode_susp_location/82a6714f-4899-4f16-9c1e-9a333544d4c3.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_export_pfx/3ffd6f51-e6c1-47b7-94b4-c1e61d4117c5.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_certutil_ntlm_coercion/6c6d9280-e6d0-4b9d-80ac-254701b64916.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_chcp_codepage_lookup/7090adee-82e2-4269-bd59-80691e7c6338.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_chcp_codepage_switch/c7942406-33dd-4377-a564-0f62db0593a3.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_cipher_overwrite_deleted_data/4b046706-5789-4673-b111-66f25fe99534.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_clip_execution/ddeff553-5233-4ae9-bbab-d64d2bd634be.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_cmd_assoc_execution/3d3aa6cd-6272-44d6-8afc-7e88dfef7061.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_cmd_dir_execution/7c9340a9-e2ee-4e43-94c5-c54ebbea1006.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_cmd_launched_with_hidden_start_flag/5a6b7c8d-9e0f-1a2b-3c4d-5e6f7a8b9c0d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_cmd_mklink_osk_cmd/e9b61244-893f-427c-b287-3e708f321c6b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_cmd_rmdir_execution/41ca393d-538c-408a-ac27-cf1e038be80c.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_cmdkey_adding_generic_creds/b1ec66c6-f4d1-4b5c-96dd-af28ccae7727.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_cmdkey_recon/07f8bdc2-c9b3-472a-9817-5a670b872f53.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_conhost_headless_powershell/056c7317-9a09-4bd4-9067-d051312752ea.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_credential_guard_registry_tampering/c17d47b7-dcd6-4109-87eb-d1817bd4cbc9.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_cookie_hijacking/5a6e1e16-07de-48d8-8aae-faa766c05e88.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_custom_user_agent/85de1f22-d189-44e4-8239-dc276b45379b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_download_direct_ip_exec/9cc85849-3b02-4cb5-b371-3a1ff54f2218.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_download_direct_ip_susp_extensions/5cb299fc-5fb1-4d07-b989-0644c68b6043.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_download_susp_file_sharing_domains/56454143-524f-49fb-b1c6-3fb8b1ad41fb.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_insecure_connection/cb9cc1d1-e84e-4bdc-b7ad-c31b1b7908ec.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_insecure_proxy_or_doh/2c1486f5-02e8-4f86-9099-b97f2da4ed77.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_local_file_read/aa6f6ea6-0676-40dd-b510-6e46f02d8867.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_ntlm_hash_leak_attempt/916eb839-895e-47f8-99ee-3008bf377a3e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_curl_susp_download/e218595b-bbe7-4ee5-8a96-f32a24ad3468.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_devcon_disable_vmci_driver/85f520e7-6f5e-43ca-874c-222e5bf9c0de.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_dirlister_execution/b4dc61f5-6cce-468e-a608-b48b469feaa2.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_discovery_via_reg_queries/0022869c-49f7-4ff2-ba03-85ac42ddac58.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_dism_remove/43e32da2-fdd0-4156-90de-50dfd62636f9.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_driverquery_recon/9fc3072c-dc8f-4bf7-b231-18950000fadd.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_driverquery_usage/a20def93-0709-4eae-9bd2-31206e21e6b2.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_dsquery_domain_trust_discovery/3bad990e-4848-4a78-9530-b427d854aac0.evtx" },
    { 2, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_dtrace_kernel_dump/7124aebe-4cd7-4ccb-8df0-6d6b93c96795.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_explorer_folder_shortcut_via_shell_binary/c3d76afc-93df-461e-8e67-9b2bad3f2ac4.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_findstr_gpp_passwords/91a2c315-9ee6-4052-a853-6f6a8238f90d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_findstr_lsass/fe63010f-8823-4864-a96b-a7b4a0f7b929.evtx" },
    { 3, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_findstr_recon_everyone/47e4bab7-c626-47dc-967b-255608c9a920.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_findstr_recon_pipe_output/ccb5742c-c248-4982-8c5c-5571b9275ad3.evtx" },
    { 3, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_findstr_security_keyword_lookup/4fe074b4-b833-4081-8f24-7dcfeca72b42.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_finger_execution/af491bca-e752-4b44-9c86-df5680533dbc.evtx" },
    { 2, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_github_self_hosted_runner/5bac7a56-da88-4c27-922e-c81e113b20cb.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_gpresult_execution/e56d3073-83ff-4021-90fe-c658e0709e72.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_hh_chm_execution/68c8acb4-1b60-4890-8e82-3ddf7a6dba84.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_hktl_edr_freeze/c598cc0c-9e70-4852-b9eb-8921af79f598.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_hktl_netexec/7638e5fe-600c-4289-a968-f49dd537ec7d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_hktl_wsass/589ac73f-8e12-409c-964e-31a2f5775ae2.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_hvci_registry_tampering/6225c53a-a96e-4235-b28f-8d7997cd96eb.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_lolbin_sftp_indirect_cmd_execution/762bb580-79b4-40f4-8b9e-9349ce1710f4.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_lolbin_systemsettingsadminflows_defender_disable/da92713f-ca2d-4fab-8320-098013d3f43a.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_node_new_agent_skills_installed/afa71271-6a97-4e47-810f-83120fb1a4ce.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_powershell_base64_invoke/6385697e-9f1b-40bd-8817-f4a91f40508e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_print_dump_sensitive_files/2fcda7e2-8c57-4904-86ac-37fc3157e09d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_adfind_enumeration/455b9d50-15a1-4b99-853f-8d37655a4c1b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_adfind_execution/514e7e3e-b3b4-4a67-af60-be20f139198b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_adfind_susp_usage/9a132afa-654e-11eb-ae93-0242ac130002.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_advanced_ip_scanner/bef37fa2-f205-4a7b-b484-0759bfd5f86f.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_advanced_port_scanner/54773c5f-f1cc-4703-9126-2f797d96a69d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_advancedrun/d2b749ee-4225-417e-b20e-a8d2193cbb84.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_advancedrun_priv_user/fa00b701-44c6-4679-994d-5a18afa8a707.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_kdu_driver_tool/e76ca062-4de0-4d79-8d90-160a0d335eca.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_memprocfs/8a1b2c3d-4e5f-6789-abcd-ef1234567890.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_pua_trufflehog/44030449-b0df-4c94-aae1-502359ab28ee.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_python_base64_encoded_execution/50a0aa3d-ab16-4594-a8aa-5145a6e6792b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_reg_add_run_key/de587dce-915e-4218-aac4-835ca6af6f70.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_reg_add_safeboot/d7662ff6-9e97-4596-a61d-9839e32dee8d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_reg_system_language_discovery/c43a5405-e8e1-4221-9ac9-dbe3fa14e886.evtx" },
    { 4, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_reg_system_restore_modification/7c06ab9b-b1d2-4ba9-b06e-09491ded20d9.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_registry_special_accounts_hide_user/9ec9fb1b-e059-4489-9642-f270c207923d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_renamed_adfind/df55196f-f105-44d3-a675-e9dfb6cc2f2b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_renamed_binary/36480ae1-a1cb-4eaa-a0d6-29801d7e9142.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_renamed_binary_highly_relevant/0ba1da6d-b6ce-4366-828c-18826c9de23e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_renamed_curl/7530cd3d-7671-43e3-b209-976966f6ea48.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_renamed_ftp/277a4393-446c-449a-b0ed-7fdc7795244c.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_renamed_msdt/bd1c6866-65fc-44b2-be51-5588fcff82b9.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_rundll32_unc_path/5cdb711b-5740-4fb2-ba88-f7945027afac.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_sc_stop_service/81bcb81b-5b1f-474b-b373-52c871aaa7b1.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_schtasks_delete/dbc1f800-0fe0-4bc0-9c66-292c2abe3f78.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_schtasks_disable/9ac94dc8-9042-493c-ba45-3b5e7c86b980.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_susp_cross_user_process_spawn/d2b7a134-9c3e-4f8a-b56d-e0c1f8a29b47.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_susp_eventlog_content_recon/beaa66d6-aa1b-4e3c-80f5-e0145369bfaf.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_susp_local_system_owner_account_discovery/502b42de-4306-40b4-9596-6f590c81f073.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_susp_right_to_left_override/ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_susp_script_interpretor_spawn_credential_scanner/0f60b28c-64dd-4e2c-9a63-5334d3e3a6e6.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_susp_system_exe_anomaly/e4a6b256-3e47-40fc-89d2-7a477edd6915.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_svchost_masqueraded_execution/be58d2e2-06c8-4f58-b666-b99f6dc3b6cd.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_user_shell_folders_registry_modification/8f3ab69a-aa22-4943-aa58-e0a52fdf6818.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_vulnerable_driver_blocklist_registry_tampering/22154f0e-5132-4a54-aa78-cc62f6def531.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_werfaultsecure_abuse/1f0b4cac-9c81-41f4-95d0-8475ff46b3e2.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_namespace_defender/51cbac1e-eee3-4a90-b1b7-358efb81fa0a.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_process_creation/526be59f-a573-4eea-b5f7-f0973207634d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_computersystem/9d7ca793-f6bd-471c-8d0f-11e68b2f0d2f.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_csproduct/3e3ceccd-6c06-48b8-b5ff-ab1d25db8c1d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_group/164eda96-11b2-430b-85ff-6a265c15bf32.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_hotfix/dfd2fcb7-8bd5-4daa-b132-5adb61d6ad45.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_process/221b251a-357a-49a9-920a-271802777cc0.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_product/15434e33-5027-4914-88d5-3d4145ec25a9.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_product_class/e568650b-5dcd-4658-8f34-ded0b1e13992.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_service/76f55eaa-d27f-4213-9d45-7b0e4b60bbae.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_system_info_uncommon/9d5a1274-922a-49d0-87f3-8c653483b909.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_unquoted_service_search/68bcd73b-37ef-49cb-95fc-edc809730be6.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_recon_volume/c79da740-5030-45ec-a2e0-479e824a562c.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_remote_execution/7773b877-5abb-4a3e-b9c9-fd0369b59b00.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_service_manipulation/0b7163dc-7eee-4960-af17-c0cd517f92da.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_service_startup_change/c0514f28-fdae-42df-b886-06e2b2bc5b37.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_stdregprov_reg_modification/c453ab7a-1f5c-4716-a3b4-dea8135fb43a.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_susp_process_creation/3c89a1e8-0fba-449e-8f1b-8409d6267ec8.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_terminate_application/49d9671b-0a0a-4c09-8280-d215bfd30662.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_uninstall_application/b53317a0-8acf-4fd1-8de8-a5401e776b96.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/process_creation/proc_creation_win_wmic_uninstall_security_products/847d5ff3-8a31-4737-a970-aeae8fe21765.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_delete/registry_delete_disable_credential_guard/d645ef86-2396-48a1-a2b6-b629ca3f57ff.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_delete/registry_delete_removal_amsi_registry_key/41d1058a-aea7-4952-9293-29eaaf516465.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_delete/registry_delete_runmru/3a9b8c1e-5b2e-4f7a-9d1c-2a7f3b6e1c55.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_delete/registry_delete_schtasks_hide_task_via_index_value_removal/526cc8bc-1cdc-48ad-8b26-f19bff969cec.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_delete/registry_delete_schtasks_hide_task_via_sd_value_removal/acd74772-5f88-45c7-956b-6a7b36c294d2.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_event/registry_event_add_local_hidden_user/460479f3-80b7-42da-9c43-2cc1d54dbccd.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_add_load_service_in_safe_mode/1547e27c-3974-43e2-a7d7-7f484fb928ec.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_add_port_monitor/944e8941-f6f6-4ee8-ac05-1c224e923c0e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_allow_rdp_remote_assistance_feature/37b437cf-3fc5-4c8e-9c94-1d7c9aff842b.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_amsi_disable/aa37cbb0-da36-42cb-a90f-fdf216fc7467.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_bypass_uac_using_delegateexecute/46dd5308-4572-4d12-aa43-8938f0184d4f.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_bypass_uac_using_eventviewer/674202d0-b22a-4af4-ae5f-2eda1f3da1af.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_bypass_uac_using_silentcleanup_task/724ea201-6514-4f38-9739-e5973c34f49a.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_change_rdp_port/509e84b9-a71a-40e0-834f-05470369bd1e.evtx" },
    { 3, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_change_security_zones/45e112d0-7759-4c2a-aa36-9f8fb79d3393.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_credential_guard_disabled/73921b9c-cafd-4446-b0c6-fdb0ace42bc0.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_deviceguard_hypervisorenforcedcodeintegrity_disabled/8b7273a4-ba5d-4d8a-b04f-11f2900d043a.evtx" },
    { 2, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_disable_administrative_share/c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_disable_autologger_sessions/f37b4bce-49d0-4087-9f5b-58bffda77316.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_disable_defender_firewall/974515da-6cc5-4c95-ae65-f97f9150ec7f.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_disable_security_center_notifications/3ae1a046-f7db-439d-b7ce-b8b366b81fa6.evtx" },
    { 4, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_disable_system_restore/5de03871-5d46-4539-a82d-3aa992a69a83.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_persistence_amsi_providers/33efc23c-6ea2-4503-8cfe-bdf82ce8f705.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_persistence_com_key_linking/9b0f8a61-91b2-464f-aceb-0527e0a45020.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_persistence_logon_scripts_userinitmprlogonscript/9ace0707-b560-49b8-b6ca-5148b42f39fb.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_powershell_logging_disabled/fecfd1a1-cc78-4313-a1ea-2ee2e8ec27a7.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_pua_sysinternals_execution_via_eula/25ffa65d-76d8-4da5-a832-3f2b0136e133.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_pua_sysinternals_renamed_execution_via_eula/f50f3c09-557d-492d-81db-9064a8d4e211.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_pua_sysinternals_susp_execution_via_eula/c7da8edc-49ae-45a2-9e61-9fd860e4e73d.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_special_accounts/f8aebc67-a56d-4ec9-9fbe-7b0e8b7b4efd.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_susp_user_shell_folders/9c226817-8dc9-46c2-a58d-66655aafd7dc.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/registry/registry_set/registry_set_vulnerable_driver_blocklist_disable/d526c60a-e236-4011-b165-831ffa52ab70.evtx" },
    { 1, 0, "sigma/regression_data/rules/windows/sysmon/sysmon_config_modification/8ac03a65-6c84-4116-acad-dc1558ff7a77.evtx" },
};
/* clang-format on */

static int
none(void *arg, struct vg_evtx_record *rec)
{
    (void)arg;
    (void)rec;
    return VG_OK;
}

static int
count(const char *path, struct vg_evtx_stats *st)
{
    struct vg_evtx *f = NULL;
    struct vg_evtx_reader *r = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

    vg_evtx_stats_init(st);
    if (fd < 0) {
        return VG_EIO;
    }
    rc = vg_evtx_open_fd(NULL, fd, path, &f);
    close(fd);
    if (rc == VG_OK && (rc = vg_evtx_reader_new(&r)) == VG_OK) {
        rc = vg_evtx_each(r, f, 0, none, NULL, st);
    }
    vg_evtx_reader_free(r);
    vg_evtx_close(f);
    return rc;
}

static void
check_dir(const char *sub, size_t want_files, unsigned long long want_total)
{
    const char *corp = vg_test_env("VG_CORPORA");
    char path[4096];
    struct stat st;
    unsigned long long total = 0;
    size_t i, files = 0;

    snprintf(path, sizeof(path), "%s/%s", corp ? corp : "", sub);
    if (corp == NULL || stat(path, &st) != 0) {
        vg_test_skip("corpus not found: evtx samples");
        return;
    }
    for (i = 0; i < VG_ARRAY_LEN(table); i++) {
        struct vg_evtx_stats s;
        if (strncmp(table[i].path, sub, strlen(sub)) != 0) {
            continue;
        }
        files++;
        snprintf(path, sizeof(path), "%s/%s", corp, table[i].path);
        if (!CHECK_RC(count(path, &s), VG_OK) ||
            !CHECK_EQ_UINT(s.n_records, table[i].records) ||
            !CHECK_EQ_UINT(s.n_errors, table[i].errors)) {
            printf("#   in %s\n", table[i].path);
        }
        total += s.n_records;
    }
    CHECK_EQ_UINT(files, want_files);
    CHECK_EQ_UINT(total, want_total);
    /* The table covers every file there is. */
    snprintf(path, sizeof(path), "find '%s/%s' -name '*.evtx' | wc -l", corp,
             sub);
    {
        FILE *p = popen(path, "r");
        unsigned long n = 0;
        REQUIRE(p != NULL);
        CHECK(fscanf(p, "%lu", &n) == 1);
        pclose(p);
        CHECK_EQ_UINT(n, want_files);
    }
}

static void
t_attack_samples(void)
{
    check_dir("evtx-attack-samples", 277, 8255);
}

static void
t_rs_samples(void)
{
    check_dir("evtx-rs-samples", 23, 18511);
}

static void
t_sigma_regression(void)
{
    check_dir("sigma/regression_data", 202, 238);
}

static const struct vg_test tests[] = {
    T(t_attack_samples),
    T(t_rs_samples),
    T(t_sigma_regression),
};

int
main(int argc, char **argv)
{
    return vg_test_main(argc, argv, tests, VG_ARRAY_LEN(tests));
}
