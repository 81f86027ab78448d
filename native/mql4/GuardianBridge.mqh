//+------------------------------------------------------------------+
//| GuardianBridge.mqh - the Guardian Bridge Protocol 1.2 for MQL4    |
//|                                                                  |
//| Imports guardian_bridge.dll (32-bit, MQL4/Libraries) through its |
//| UTF-16 "_w" entry points: an MQL4 string is passed to a DLL as a |
//| wchar_t*, so no conversion is needed on this side. The handle is |
//| the DLL's client pointer, which fits an int in the 32-bit        |
//| terminal. Output text comes back through ushort arrays.          |
//|                                                                  |
//| Needs "Allow DLL imports" (Tools > Options > Expert Advisors).    |
//+------------------------------------------------------------------+
#property strict

#import "guardian_bridge.dll"
string gb_version_w();
int    gb_open_w(string node_id, string state_dir, string hmac_key);
int    gb_open_error();
void   gb_close(int client);
int    gb_set_option(int client, int option, long value);
int    gb_set_hello_extra_w(int client, string json_object);
int    gb_connect_socket_w(int client, string host, int port, int timeout_ms);
int    gb_connect_pipe_w(int client, string path, int timeout_ms);
void   gb_disconnect(int client);
int    gb_is_connected(int client);
long   gb_send_w(int client, string message_type, string payload_json);
int    gb_heartbeat(int client, long now_ms);
int    gb_poll(int client, int timeout_ms);
int    gb_pending_count(int client);
int    gb_next_message_size(int client);
int    gb_next_message_w(int client, ushort &out[], int cap);
long   gb_next_seq(int client);
long   gb_unacked_count(int client);
long   gb_last_seq_received(int client);
long   gb_stat(int client, int stat_id);
int    gb_last_error_w(int client, ushort &out[], int cap);
int    gb_last_peer_error_w(int client, ushort &out[], int cap);
int    gb_spool_write_w(int client, string spool_dir);
int    gb_spool_read_w(int client, string spool_dir);
#import

// Error codes (guardian_bridge.h, gb_error).
#define GB_OK               0
#define GB_E_ARG           -1
#define GB_E_FRAME_SIZE    -2
#define GB_E_BAD_JSON      -3
#define GB_E_BAD_CHECKSUM  -4
#define GB_E_AUTH_FAILED   -5
#define GB_E_BAD_MESSAGE   -6
#define GB_E_VERSION       -7
#define GB_E_IO            -8
#define GB_E_TIMEOUT       -9
#define GB_E_FRAME_TIMEOUT -10
#define GB_E_NOT_CONNECTED -11
#define GB_E_CLOSED        -12
#define GB_E_CONNECT       -13
#define GB_E_BUFFER        -14
#define GB_E_NOMEM         -15
#define GB_E_STATE         -16
#define GB_E_BUSY          -17
#define GB_E_PEER_ERROR    -18
#define GB_E_UNSUPPORTED   -19

// Options (gb_set_option) and counters (gb_stat).
#define GB_OPT_FRAME_TIMEOUT_MS  0
#define GB_OPT_SILENCE_INTERVALS 1
#define GB_OPT_IO_TIMEOUT_MS     2
#define GB_OPT_HEARTBEAT_MS      3
#define GB_OPT_RESEND_TIMEOUT_MS 4
#define GB_STAT_DELIVERED        2
#define GB_STAT_RESENT           5
#define GB_STAT_RTT_MS          14

//+------------------------------------------------------------------+
//| Error text of the client's last failure (or of gb_open).          |
//+------------------------------------------------------------------+
string GbLastError(int h)
  {
   if(h==0)
      return("gb_open failed: error "+IntegerToString(gb_open_error()));
   ushort buf[];
   ArrayResize(buf,1024);
   int n=gb_last_error_w(h,buf,1024);
   if(n<0)
      return("error "+IntegerToString(n));
   return(ShortArrayToString(buf,0,n));
  }

//+------------------------------------------------------------------+
//| Takes the next message Guardian sent (its JSON envelope).         |
//| Each message comes out once, in order, even across restarts.      |
//+------------------------------------------------------------------+
bool GbNextMessage(int h,string &json)
  {
   int need=gb_next_message_size(h);   // bytes, an upper bound in UTF-16 units
   if(need<=0)
      return(false);
   ushort buf[];
   ArrayResize(buf,need+1);
   int n=gb_next_message_w(h,buf,need+1);
   if(n<=0)
      return(false);
   json=ShortArrayToString(buf,0,n);
   return(true);
  }

//+------------------------------------------------------------------+
//| A JSON string literal for s (quotes, backslashes, controls).      |
//+------------------------------------------------------------------+
string GbJsonQuote(string s)
  {
   string out="\"";
   int len=StringLen(s);
   for(int i=0; i<len; i++)
     {
      ushort ch=StringGetCharacter(s,i);
      if(ch=='"')
         out+="\\\"";
      else
         if(ch=='\\')
            out+="\\\\";
         else
            if(ch<0x20)
               out+=StringFormat("\\u%04x",ch);
            else
               out+=ShortToString(ch);
     }
   return(out+"\"");
  }

//+------------------------------------------------------------------+
//| Index just past the JSON value starting at i (strings, nesting).  |
//+------------------------------------------------------------------+
int GbJsonSkip(string json,int i)
  {
   int len=StringLen(json),depth=0;
   bool in_str=false;
   for(; i<len; i++)
     {
      ushort ch=StringGetCharacter(json,i);
      if(in_str)
        {
         if(ch=='\\')
            i++;
         else
            if(ch=='"')
              {
               in_str=false;
               if(depth==0)
                  return(i+1);
              }
         continue;
        }
      if(ch=='"')
         in_str=true;
      else
         if(ch=='{' || ch=='[')
            depth++;
         else
            if(ch=='}' || ch==']')
              {
               if(depth==0)
                  return(i);     // end of the enclosing object
               depth--;
               if(depth==0)
                  return(i+1);
              }
            else
               if(depth==0 && ch==',')
                  return(i);
     }
   return(len);
  }

//+------------------------------------------------------------------+
//| Raw JSON text of member `key` of the object `obj` (top level      |
//| only), or "" when absent.                                        |
//+------------------------------------------------------------------+
string GbJsonRaw(string obj,string key)
  {
   int len=StringLen(obj),i=1;
   string found="";
   while(i<len)
     {
      int ks=StringFind(obj,"\"",i);
      if(ks<0)
         break;
      int ke=GbJsonSkip(obj,ks);
      string name=StringSubstr(obj,ks+1,ke-ks-2);
      int colon=StringFind(obj,":",ke);
      if(colon<0)
         break;
      int vs=colon+1;
      while(vs<len && StringGetCharacter(obj,vs)==' ')
         vs++;
      int ve=GbJsonSkip(obj,vs);
      if(name==key)
         found=StringSubstr(obj,vs,ve-vs);   // the last duplicate wins, as in JSON.parse
      i=ve+1;
      if(ve>=len || StringGetCharacter(obj,ve)=='}')
         break;
     }
   return(found);
  }

//+------------------------------------------------------------------+
//| Value of the 4 hex digits at s[i] (a \uXXXX escape).              |
//+------------------------------------------------------------------+
ushort GbHex4(string s,int i)
  {
   int v=0;
   for(int k=i; k<i+4; k++)
     {
      ushort ch=StringGetCharacter(s,k);
      int d=(ch>='0' && ch<='9') ? ch-'0' : (ch>='a' && ch<='f') ? ch-'a'+10 : (ch>='A' && ch<='F') ? ch-'A'+10 : 0;
      v=v*16+d;
     }
   return((ushort)v);
  }

//+------------------------------------------------------------------+
//| Decoded string member (simple escapes), "" when absent.           |
//+------------------------------------------------------------------+
string GbJsonString(string obj,string key)
  {
   string raw=GbJsonRaw(obj,key);
   if(StringLen(raw)<2 || StringGetCharacter(raw,0)!='"')
      return("");
   string out="";
   int len=StringLen(raw)-1;
   for(int i=1; i<len; i++)
     {
      ushort ch=StringGetCharacter(raw,i);
      if(ch=='\\' && i+1<len)
        {
         ushort e=StringGetCharacter(raw,++i);
         if(e=='n')
            ch='\n';
         else
            if(e=='t')
               ch='\t';
            else
               if(e=='r')
                  ch='\r';
               else
                  if(e=='u' && i+4<len)
                    {
                     ch=GbHex4(raw,i+1);
                     i+=4;
                    }
                  else
                     ch=e;
        }
      out+=ShortToString(ch);
     }
   return(out);
  }

//+------------------------------------------------------------------+
//| Number member, `fallback` when absent.                            |
//+------------------------------------------------------------------+
double GbJsonNumber(string obj,string key,double fallback)
  {
   string raw=GbJsonRaw(obj,key);
   if(raw=="" || raw=="null")
      return(fallback);
   if(StringGetCharacter(raw,0)=='"')
      return(StringToDouble(GbJsonString(obj,key)));
   return(StringToDouble(raw));
  }

//+------------------------------------------------------------------+
//| ISO-8601 UTC-style text of a server time (for server_time).       |
//+------------------------------------------------------------------+
string GbIsoTime(datetime t)
  {
   MqlDateTime d;
   TimeToStruct(t,d);
   return(StringFormat("%04d-%02d-%02dT%02d:%02d:%02d",d.year,d.mon,d.day,d.hour,d.min,d.sec));
  }
//+------------------------------------------------------------------+
